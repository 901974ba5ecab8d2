//! The admin page's own strings, in English and French (the older settings
//! strings stay in `i18n.rs`). One arm per string: both languages together.

use crate::i18n::Lang;

/// A string of the admin page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum W {
    Sections,
    Connection,
    Team,
    Activity,
    Account,
    ImportCandidates,
    ChecklistTitle,
    ChecklistIntro,
    StepConnect,
    StepSync,
    StepInvite,
    StepShare,
    StepDone,
    StepTodo,
    Healthy,
    NeedsAttention,
    Deactivated,
    Syncing,
    FirstSync,
    SyncedAgo,
    Candidates,
    KeyRefused,
    PermissionMissing,
    NoSuchAddress,
    AtsAnsweredError,
    AtsUnreachable,
    RateLimited,
    FixRelink,
    More,
    Advanced,
    BaseUrl,
    BaseUrlHint,
    DeleteTitle,
    DeleteEffect,
    DeleteConfirm,
    Cancel,
    NewKey,
    SaveKey,
    AddConnection,
    ProviderRequestTitle,
    RequestProvider,
    NoConnection,
    MembersOnlySee,
    InviteLink,
    InviteLinkHint,
    Copied,
    AskAdminTitle,
    AskAdminHint,
    MakeConnectLink,
    ConnectLink,
    ConnectLinkHint,
    OpenConnectLinks,
    InstallLink,
    InstallLinkHint,
    Expires,
    You,
    Joined,
    AllPeople,
    AllActions,
    FilterPerson,
    FilterAction,
    Open,
    NoActivity,
    Someone,
    Shortcut,
    ShortcutHint,
    ShortcutNone,
    CompanionAddress,
    JoinTitle,
    JoinIntro,
    InviteLinkFilled,
    InviteLinkBad,
    Join,
    AdvancedSignIn,
    InviteCodeLabel,
    TokenLabel,
    ActionUpload,
    ActionMerge,
    ActionConnect,
    ActionRelink,
    ActionDeactivate,
    ActionActivate,
    ActionDelete,
    ActionInvite,
    ActionInviteAccepted,
    ActionMemberRemoved,
}

/// The string in `lang`.
#[allow(
    clippy::too_many_lines,
    reason = "a translation table: one arm per string, both languages side by side"
)]
pub fn w(lang: Lang, word: W) -> &'static str {
    #[allow(
        clippy::enum_glob_use,
        reason = "a translation table names every variant; the prefix on each would only add noise"
    )]
    use W::*;
    let (en, fr) = match word {
        Sections => ("Sections", "Sections"),
        Connection => ("Connection", "Connexion"),
        Team => ("Team", "Équipe"),
        Activity => ("Activity", "Activité"),
        Account => ("Account", "Compte"),
        ImportCandidates => ("Import candidates", "Importer des candidats"),
        ChecklistTitle => ("Set up Sourcebar for your team", "Installer Sourcebar pour votre équipe"),
        ChecklistIntro => (
            "Four steps, then this list goes away.",
            "Quatre étapes, puis cette liste disparaît.",
        ),
        StepConnect => ("Connect your ATS", "Connecter votre ATS"),
        StepSync => ("First sync", "Première synchronisation"),
        StepInvite => ("Invite your team", "Inviter votre équipe"),
        StepShare => ("Share the install link", "Partager le lien d’installation"),
        StepDone => ("done", "fait"),
        StepTodo => ("to do", "à faire"),
        Healthy => ("Healthy", "En bonne santé"),
        NeedsAttention => ("Needs attention", "À vérifier"),
        Deactivated => ("Deactivated", "Désactivée"),
        Syncing => ("Syncing", "Synchronisation"),
        FirstSync => ("first sync", "première synchronisation"),
        SyncedAgo => ("synced", "synchronisée"),
        Candidates => ("candidates", "candidats"),
        KeyRefused => ("key refused", "clé refusée"),
        PermissionMissing => ("the key lacks a permission", "il manque une permission à la clé"),
        NoSuchAddress => (
            "the ATS does not know this address: check the base URL",
            "l’ATS ne connaît pas cette adresse\u{a0}: vérifiez l’URL de base",
        ),
        AtsAnsweredError => ("the ATS answered with an error", "l’ATS a répondu par une erreur"),
        AtsUnreachable => ("ATS unreachable", "ATS injoignable"),
        RateLimited => ("ATS rate limit reached", "limite d’appels de l’ATS atteinte"),
        FixRelink => ("Relink", "Relier"),
        More => ("More actions", "Autres actions"),
        Advanced => ("Advanced", "Avancé"),
        BaseUrl => ("Base URL", "URL de base"),
        BaseUrlHint => (
            "Only for a sandbox or a regional endpoint; leave empty for the ATS's public API.",
            "Seulement pour un bac à sable ou un point d’accès régional ; laissez vide pour l’API publique de l’ATS.",
        ),
        DeleteTitle => ("Delete this connection?", "Supprimer cette connexion ?"),
        DeleteEffect => (
            "Deletes its API key at once and stops sync: teammates can no longer check or upload through it. Nothing is deleted in your ATS, and the audit log keeps its history. To use it again, connect it anew.",
            "Supprime aussitôt sa clé d’API et arrête la synchronisation : l’équipe ne peut plus vérifier ni ajouter par elle. Rien n’est supprimé dans votre ATS, et le journal garde son historique. Pour la réutiliser, connectez-la à nouveau.",
        ),
        DeleteConfirm => ("Delete connection", "Supprimer la connexion"),
        Cancel => ("Cancel", "Annuler"),
        NewKey => ("New API key", "Nouvelle clé d’API"),
        SaveKey => ("Check and replace the key", "Vérifier et remplacer la clé"),
        AddConnection => ("Add a connection", "Ajouter une connexion"),
        ProviderRequestTitle => (
            "No connector yet: ask for one and we will tell the Sourcebar maintainers your team needs it.",
            "Pas encore de connecteur : demandez-le, nous signalerons aux mainteneurs de Sourcebar que votre équipe en a besoin.",
        ),
        RequestProvider => ("Request", "Demander"),
        NoConnection => ("No ATS is connected yet.", "Aucun ATS n’est encore connecté."),
        MembersOnlySee => (
            "Your admin manages the connection; here is how it is doing.",
            "Votre admin gère la connexion ; voici son état.",
        ),
        InviteLink => ("Invite link", "Lien d’invitation"),
        InviteLinkHint => (
            "Send it to one teammate: it works once and expires. They open it, click the Sourcebar icon, and confirm their name and email.",
            "Envoyez-le à une personne : il ne sert qu’une fois et expire. Elle l’ouvre, clique sur l’icône Sourcebar et confirme son nom et son e-mail.",
        ),
        Copied => ("Copied", "Copié"),
        AskAdminTitle => ("Not the one who holds the key?", "Ce n’est pas vous qui avez la clé ?"),
        AskAdminHint => (
            "Make a link for your ATS admin: it opens this form alone, their key goes straight to your team’s server, and nobody on the team ever sees it.",
            "Créez un lien pour l’administrateur de votre ATS : il n’ouvre que ce formulaire, sa clé va directement au serveur de l’équipe, et personne dans l’équipe ne la voit.",
        ),
        MakeConnectLink => ("Make a link for my ATS admin", "Créer un lien pour l’admin de l’ATS"),
        ConnectLink => ("Link for your ATS admin", "Lien pour l’admin de votre ATS"),
        ConnectLinkHint => (
            "It works once, for seven days. Revoke it below if it went to the wrong person.",
            "Il ne sert qu’une fois, pendant sept jours. Révoquez-le ci-dessous s’il est parti à la mauvaise personne.",
        ),
        OpenConnectLinks => ("Links waiting for the ATS admin", "Liens en attente de l’admin de l’ATS"),
        InstallLink => ("Install link", "Lien d’installation"),
        InstallLinkHint => (
            "A page that explains how to install the extension; share it with the whole team.",
            "Une page qui explique comment installer l’extension ; partagez-la avec toute l’équipe.",
        ),
        Expires => ("expires", "expire"),
        You => ("you", "vous"),
        Joined => ("joined", "arrivé·e"),
        AllPeople => ("Everyone", "Tout le monde"),
        AllActions => ("All actions", "Toutes les actions"),
        FilterPerson => ("Person", "Personne"),
        FilterAction => ("Action", "Action"),
        Open => ("Open", "Ouvrir"),
        NoActivity => ("Nothing yet.", "Rien pour l’instant."),
        Someone => ("Someone", "Quelqu’un"),
        Shortcut => ("Keyboard shortcut", "Raccourci clavier"),
        ShortcutHint => (
            "shows or hides the sidebar on a profile. Change it in your browser's extension shortcuts.",
            "affiche ou masque la barre latérale sur un profil. Modifiable dans les raccourcis d’extensions du navigateur.",
        ),
        ShortcutNone => ("none set", "aucun"),
        CompanionAddress => ("Companion server", "Serveur compagnon"),
        JoinTitle => ("Join your team", "Rejoindre votre équipe"),
        JoinIntro => (
            "Paste the invite link your admin sent you, then confirm your name and email.",
            "Collez le lien d’invitation envoyé par votre admin, puis confirmez votre nom et votre e-mail.",
        ),
        InviteLinkFilled => ("Joining the team at", "Vous rejoignez l’équipe sur"),
        InviteLinkBad => (
            "This is not a Sourcebar invite link (it looks like https://…/join#code=…).",
            "Ce n’est pas un lien d’invitation Sourcebar (il ressemble à https://…/join#code=…).",
        ),
        Join => ("Join", "Rejoindre"),
        AdvancedSignIn => (
            "Advanced: server address, invite code or access token",
            "Avancé : adresse du serveur, code d’invitation ou jeton d’accès",
        ),
        InviteCodeLabel => ("Invite code", "Code d’invitation"),
        TokenLabel => ("Access token", "Jeton d’accès"),
        ActionUpload => ("Uploads", "Ajouts"),
        ActionMerge => ("Merges", "Fusions"),
        ActionConnect => ("Connections", "Connexions"),
        ActionRelink => ("New keys", "Nouvelles clés"),
        ActionDeactivate => ("Deactivations", "Désactivations"),
        ActionActivate => ("Reactivations", "Réactivations"),
        ActionDelete => ("Deletions", "Suppressions"),
        ActionInvite => ("Invites", "Invitations"),
        ActionInviteAccepted => ("Arrivals", "Arrivées"),
        ActionMemberRemoved => ("Removals", "Départs"),
    };
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// The actions the activity filter offers, with their names.
pub const FILTER_ACTIONS: &[(&str, W)] = &[
    ("upload", W::ActionUpload),
    ("merge", W::ActionMerge),
    ("connect", W::ActionConnect),
    ("relink", W::ActionRelink),
    ("deactivate", W::ActionDeactivate),
    ("activate", W::ActionActivate),
    ("delete", W::ActionDelete),
    ("invite", W::ActionInvite),
    ("invite_accepted", W::ActionInviteAccepted),
    ("member_removed", W::ActionMemberRemoved),
];

/// One audit event as a sentence: "Sam merged Jane Doe".
pub fn event_sentence(lang: Lang, action: &str, who: &str, what: &str) -> String {
    let fr = lang == Lang::Fr;
    match (action, fr) {
        ("upload", false) => format!("{who} uploaded {what}"),
        ("upload", true) => format!("{who} a ajouté {what}"),
        ("merge", false) => format!("{who} merged {what}"),
        ("merge", true) => format!("{who} a fusionné {what}"),
        ("connect", false) => format!("{who} connected {what}"),
        ("connect", true) => format!("{who} a connecté {what}"),
        ("relink", false) => format!("{who} gave {what} a new key"),
        ("relink", true) => format!("{who} a changé la clé de {what}"),
        ("deactivate", false) => format!("{who} deactivated {what}"),
        ("deactivate", true) => format!("{who} a désactivé {what}"),
        ("activate", false) => format!("{who} reactivated {what}"),
        ("activate", true) => format!("{who} a réactivé {what}"),
        ("delete", false) => format!("{who} deleted the connection {what}"),
        ("delete", true) => format!("{who} a supprimé la connexion {what}"),
        ("default", false) => format!("{who} changed the default connection"),
        ("default", true) => format!("{who} a changé la connexion par défaut"),
        ("invite", false) => format!("{who} created an invite"),
        ("invite", true) => format!("{who} a créé une invitation"),
        ("invite_revoked", false) => format!("{who} revoked an invite"),
        ("invite_revoked", true) => format!("{who} a révoqué une invitation"),
        ("invite_accepted", false) => format!("{who} joined the team"),
        ("invite_accepted", true) => format!("{who} a rejoint l’équipe"),
        ("member_removed", false) => format!("{who} removed a member"),
        ("member_removed", true) => format!("{who} a retiré un membre"),
        ("integration_request", false) => format!("{who} asked for {what}"),
        ("integration_request", true) => format!("{who} a demandé {what}"),
        (other, _) => format!("{who} · {other}"),
    }
}

/// "12,480" / "12 480": a count in the page's language.
pub fn count(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == Lang::Fr { '\u{202f}' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Why a connect form was refused, beside the field to fix: the address
/// (`field` names the base URL or the setting, labelled `label`) does not
/// answer like `provider`.
pub fn not_this_ats(lang: Lang, provider: &str, label: Option<&str>) -> String {
    match (lang, label) {
        (Lang::En, None) => {
            format!("This address does not answer like {provider}. Check the base URL.")
        }
        (Lang::En, Some(label)) => format!(
            "This address does not answer like {provider}. Check “{label}” and the base URL."
        ),
        (Lang::Fr, None) => {
            format!("Cette adresse ne répond pas comme {provider}. Vérifiez l’URL de base.")
        }
        (Lang::Fr, Some(label)) => format!(
            "Cette adresse ne répond pas comme {provider}. Vérifiez « {label} » et l’URL de base."
        ),
    }
}

/// The permission a refused key lacks, as the ATS names it.
pub fn lacks_permission(lang: Lang, permission: &str) -> String {
    match lang {
        Lang::En => format!(
            "The API key lacks the permission “{permission}”. Ask your ATS admin to add it."
        ),
        Lang::Fr => format!(
            "Il manque à la clé d’API la permission « {permission} ». Demandez à l’administrateur de votre ATS de l’ajouter."
        ),
    }
}

/// "3 of 12" / "3 sur 12".
pub fn n_of(lang: Lang, done: i64, total: i64) -> String {
    match lang {
        Lang::En => format!("{} of {}", count(lang, done), count(lang, total)),
        Lang::Fr => format!("{} sur {}", count(lang, done), count(lang, total)),
    }
}

#[cfg(test)]
mod tests {
    use super::{count, event_sentence, lacks_permission, n_of, not_this_ats};
    use crate::i18n::Lang;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn counts_and_sentences_read_naturally_in_both_languages() {
        assert_eq!(count(Lang::En, 12_480), "12,480");
        assert_eq!(count(Lang::Fr, 12_480), "12\u{202f}480");
        assert_eq!(count(Lang::En, 999), "999");
        assert_eq!(n_of(Lang::En, 3, 1_000), "3 of 1,000");
        assert_eq!(n_of(Lang::Fr, 3, 12), "3 sur 12");
        assert_eq!(
            event_sentence(Lang::En, "merge", "Sam", "Jane Doe"),
            "Sam merged Jane Doe"
        );
        assert_eq!(
            event_sentence(Lang::Fr, "upload", "Ana", "Jane Doe"),
            "Ana a ajouté Jane Doe"
        );
        assert_eq!(
            not_this_ats(Lang::En, "Greenhouse", None),
            "This address does not answer like Greenhouse. Check the base URL."
        );
        assert!(
            not_this_ats(Lang::Fr, "Workable", Some("Sous-domaine")).contains("« Sous-domaine »")
        );
        assert!(lacks_permission(Lang::En, "harvest:candidates:list")
            .starts_with("The API key lacks the permission “harvest:candidates:list”."));
        assert!(lacks_permission(Lang::Fr, "r_candidates").contains("« r_candidates »"));
        // An action this page does not know yet still says who did what.
        assert_eq!(
            event_sentence(Lang::En, "export", "Sam", ""),
            "Sam · export"
        );
    }
}
