// Sourcebar background worker: routes the keyboard shortcut to the tab.
// It holds no state and makes no network request.
const api = globalThis.browser ?? globalThis.chrome;

api.commands.onCommand.addListener(async (command) => {
  if (command !== "toggle-sidebar") return;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (tab && tab.id !== undefined) {
    api.tabs.sendMessage(tab.id, { type: "sourcebar:toggle" }).catch(() => {
      // Not a profile page: there is no sidebar to toggle.
    });
  }
});

api.action.onClicked.addListener(() => api.runtime.openOptionsPage());
