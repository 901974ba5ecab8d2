//! Every user-facing string of the app, in English and French: one table.

use crate::problem::Problem;
use sourcebar_core::companion_url::CompanionUrlError;
use sourcebar_core::ErrorCode;
use std::sync::OnceLock;

mod applications;
mod panel;
pub use applications::*;
pub use panel::*;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// The language for a BCP 47 tag such as `fr-CA`; English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The browser's language (`navigator.language`).
    pub fn from_browser() -> Lang {
        static LANG: OnceLock<Lang> = OnceLock::new();
        *LANG.get_or_init(|| {
            web_sys::window()
                .and_then(|w| w.navigator().language())
                .map_or(Lang::En, |tag| Lang::from_tag(&tag))
        })
    }

    /// The tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

/// The app's strings. Add a variant and both translations together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppName,
    Collapse,
    WaitingForProfile,
    NotAProfile,
    ReadFailed,
    FirstName,
    LastName,
    Email,
    Headline,
    Company,
    Location,
    ProfileLink,
    NotConnectedTitle,
    NotConnectedBody,
    OpenSettings,
    Required,
    InvalidEmail,
    SettingsTitle,
    SettingsIntro,
    CompanionUrl,
    Token,
    Save,
    Saved,
    MirrorIncomplete,
    OpenInAts,
    SelectMatch,
    Job,
    NoJob,
    Merging,
    Uploading,
    MergePreviewTitle,
    MergeDoneTitle,
    WillAppend,
    WillAdd,
    Unchanged,
    Appended,
    Added,
    FieldProfileUrl,
    FieldProfileUrlInRecord,
    /// The ATS has neither a link field nor notes: the URL is not kept.
    FieldProfileUrlNowhere,
    FieldNote,
    FieldJob,
    FieldEmail,
    ReasonEmail,
    ReasonProfileUrl,
    ReasonSameName,
    ReasonSimilarName,
    ReasonNickname,
    ReasonCompany,
    ReasonTitle,
    ReasonLocation,
    ReasonPhone,
    Dismiss,
    SignInTitle,
    InviteCode,
    YourEmail,
    YourName,
    OrToken,
    SignIn,
    SignOut,
    SignedInAs,
    RoleAdmin,
    RoleMember,
    Language,
    Connections,
    ConnectTitle,
    ConnectionName,
    ApiKey,
    Connect,
    Connecting,
    ConnectedTitle,
    TestConnection,
    SyncNow,
    Relink,
    Deactivate,
    Activate,
    Delete,
    ConfirmDeactivate,
    ConfirmDelete,
    ConfirmRelink,
    TestOk,
    Default,
    LastSync,
    Never,
    Available,
    Beta,
    OnRequest,
    CantFind,
    Other,
    RequestIt,
    Requested,
    Members,
    Invites,
    CreateInvite,
    InviteCreated,
    Copy,
    Revoke,
    Remove,
    AuditLog,
    LoadMore,
    AdminsOnly,
    Status,
    ConfidenceSame,
    ConfidenceLikely,
    ConfidenceMaybe,
    NotSamePerson,
    NoneOfThese,
    OpenContactInfo,
    Edit,
    DoneEditing,
    Retry,
    Cancel,
    UploadAnyway,
    NeedsName,
    FixEmail,
    ChooseMatch,
    CheckFailedReason,
    QueuedShort,
    QueueFailed,
    ConflictEmail,
    ConflictProfileUrl,
    ConflictCompany,
    ConflictLocation,
    ConflictTitle,
    ConflictOther,
    ChangedNothing,
    /// A merge with no job, where the ATS takes neither notes nor links.
    NothingWritable,
    Evidence,
    TeamHistory,
    MergeSelected,
}

/// The string for `text` in `lang`.
#[allow(
    clippy::too_many_lines,
    clippy::match_same_arms,
    reason = "a translation table: one arm per message and language, and two messages may read alike"
)]
pub fn t(lang: Lang, text: Text) -> &'static str {
    #[allow(
        clippy::enum_glob_use,
        reason = "a translation table names every variant; the prefix on each would only add noise"
    )]
    use Text::*;
    match (text, lang) {
        (AppName, _) => "Sourcebar",
        (Collapse, Lang::En) => "Collapse sidebar",
        (Collapse, Lang::Fr) => "Replier le panneau",
        (WaitingForProfile, Lang::En) => "Reading the profile…",
        (WaitingForProfile, Lang::Fr) => "Lecture du profil…",
        (NotAProfile, Lang::En) => "Open a LinkedIn profile to see it here.",
        (NotAProfile, Lang::Fr) => "Ouvrez un profil LinkedIn pour le voir ici.",
        (ReadFailed, Lang::En) => "This page could not be read. Reload it and try again.",
        (ReadFailed, Lang::Fr) => "Impossible de lire cette page. Rechargez-la et réessayez.",
        (FirstName, Lang::En) => "First name",
        (FirstName, Lang::Fr) => "Prénom",
        (LastName, Lang::En) => "Last name",
        (LastName, Lang::Fr) => "Nom",
        (Email, Lang::En) => "Email",
        (Email, Lang::Fr) => "E-mail",
        (Headline, Lang::En) => "Headline",
        (Headline, Lang::Fr) => "Titre du profil",
        (Company, Lang::En) => "Company",
        (Company, Lang::Fr) => "Entreprise",
        (Location, Lang::En) => "Location",
        (Location, Lang::Fr) => "Lieu",
        (ProfileLink, Lang::En) => "Profile URL",
        (ProfileLink, Lang::Fr) => "URL du profil",
        (NotConnectedTitle, Lang::En) => "Connect Sourcebar to your team in Settings",
        (NotConnectedTitle, Lang::Fr) => "Connectez Sourcebar à votre équipe dans les Réglages",
        (NotConnectedBody, Lang::En) => {
            "Ask your admin for an invite code, then paste it with your team's companion URL."
        }
        (NotConnectedBody, Lang::Fr) => {
            "Demandez un code d’invitation à votre admin, puis collez-le avec l’URL du serveur de votre équipe."
        }
        (OpenSettings, Lang::En) => "Open Settings",
        (OpenSettings, Lang::Fr) => "Ouvrir les Réglages",
        (Required, Lang::En) => "Required",
        (Required, Lang::Fr) => "Obligatoire",
        (InvalidEmail, Lang::En) => "Enter a valid email address",
        (InvalidEmail, Lang::Fr) => "Saisissez une adresse e-mail valide",
        (SettingsTitle, Lang::En) => "Sourcebar settings",
        (SettingsTitle, Lang::Fr) => "Réglages de Sourcebar",
        (SettingsIntro, Lang::En) => "Connect the extension to your team's companion server.",
        (SettingsIntro, Lang::Fr) => "Connectez l’extension au serveur de votre équipe.",
        (CompanionUrl, Lang::En) => "Companion URL",
        (CompanionUrl, Lang::Fr) => "URL du serveur",
        (Token, Lang::En) => "Access token",
        (Token, Lang::Fr) => "Jeton d’accès",
        (Save, Lang::En) => "Save",
        (Save, Lang::Fr) => "Enregistrer",
        (Saved, Lang::En) => "Saved",
        (Saved, Lang::Fr) => "Enregistré",
        (MirrorIncomplete, Lang::En) => "The first sync is still running: this answer may be incomplete.",
        (MirrorIncomplete, Lang::Fr) => "La première synchronisation est en cours : cette réponse peut être incomplète.",
        (OpenInAts, Lang::En) => "Open in ATS",
        (OpenInAts, Lang::Fr) => "Ouvrir dans l’ATS",
        (SelectMatch, Lang::En) => "Select this profile",
        (SelectMatch, Lang::Fr) => "Sélectionner ce profil",
        (Job, Lang::En) => "Add to job (optional)",
        (Job, Lang::Fr) => "Ajouter à un poste (facultatif)",
        (NoJob, Lang::En) => "No job",
        (NoJob, Lang::Fr) => "Aucun poste",
        (Merging, Lang::En) => "Merging…",
        (Merging, Lang::Fr) => "Fusion…",
        (Uploading, Lang::En) => "Uploading…",
        (Uploading, Lang::Fr) => "Import…",
        (MergePreviewTitle, Lang::En) => "Merging will:",
        (MergePreviewTitle, Lang::Fr) => "La fusion va :",
        (MergeDoneTitle, Lang::En) => "Merged. What changed:",
        (MergeDoneTitle, Lang::Fr) => "Fusionné. Modifications :",
        (WillAppend, Lang::En) => "append",
        (WillAppend, Lang::Fr) => "ajouter à la suite",
        (WillAdd, Lang::En) => "add",
        (WillAdd, Lang::Fr) => "ajouter",
        (Unchanged, Lang::En) => "unchanged",
        (Unchanged, Lang::Fr) => "inchangé",
        (Appended, Lang::En) => "appended",
        (Appended, Lang::Fr) => "ajouté à la suite",
        (Added, Lang::En) => "added",
        (Added, Lang::Fr) => "ajouté",
        (FieldProfileUrl, Lang::En) => "LinkedIn URL (as a note)",
        (FieldProfileUrl, Lang::Fr) => "URL LinkedIn (en note)",
        (FieldProfileUrlInRecord, Lang::En) => "LinkedIn URL (on the record)",
        (FieldProfileUrlInRecord, Lang::Fr) => "URL LinkedIn (sur la fiche)",
        (FieldProfileUrlNowhere, Lang::En) => "LinkedIn URL (this ATS has no place for it)",
        (FieldProfileUrlNowhere, Lang::Fr) => "URL LinkedIn (cet ATS n’a pas de place pour elle)",
        (FieldNote, Lang::En) => "Note with what was captured",
        (FieldNote, Lang::Fr) => "Note avec les informations capturées",
        (FieldJob, Lang::En) => "Job",
        (FieldJob, Lang::Fr) => "Poste",
        (FieldEmail, Lang::En) => "Email",
        (FieldEmail, Lang::Fr) => "E-mail",
        (ReasonEmail, Lang::En) => "same email",
        (ReasonEmail, Lang::Fr) => "même e-mail",
        (ReasonProfileUrl, Lang::En) => "same LinkedIn URL",
        (ReasonProfileUrl, Lang::Fr) => "même URL LinkedIn",
        (ReasonSameName, Lang::En) => "same name",
        (ReasonSameName, Lang::Fr) => "même nom",
        (ReasonSimilarName, Lang::En) => "similar name",
        (ReasonSimilarName, Lang::Fr) => "nom similaire",
        (ReasonNickname, Lang::En) => "same name (nickname)",
        (ReasonNickname, Lang::Fr) => "même nom (diminutif)",
        (ReasonCompany, Lang::En) => "same company",
        (ReasonCompany, Lang::Fr) => "même entreprise",
        (ReasonTitle, Lang::En) => "same title",
        (ReasonTitle, Lang::Fr) => "même poste",
        (ReasonLocation, Lang::En) => "same location",
        (ReasonLocation, Lang::Fr) => "même lieu",
        (ReasonPhone, Lang::En) => "same phone",
        (ReasonPhone, Lang::Fr) => "même téléphone",
        (Dismiss, Lang::En) => "Dismiss",
        (Dismiss, Lang::Fr) => "Fermer",
        (SignInTitle, Lang::En) => "Sign in to your team",
        (SignInTitle, Lang::Fr) => "Connexion à votre équipe",
        (InviteCode, Lang::En) => "Invite code",
        (InviteCode, Lang::Fr) => "Code d’invitation",
        (YourEmail, Lang::En) => "Your work email",
        (YourEmail, Lang::Fr) => "Votre e-mail professionnel",
        (YourName, Lang::En) => "Your name",
        (YourName, Lang::Fr) => "Votre nom",
        (OrToken, Lang::En) => "…or paste an access token",
        (OrToken, Lang::Fr) => "…ou collez un jeton d’accès",
        (SignIn, Lang::En) => "Sign in",
        (SignIn, Lang::Fr) => "Se connecter",
        (SignOut, Lang::En) => "Sign out",
        (SignOut, Lang::Fr) => "Se déconnecter",
        (SignedInAs, Lang::En) => "Signed in as",
        (SignedInAs, Lang::Fr) => "Connecté en tant que",
        (RoleAdmin, Lang::En) => "admin",
        (RoleAdmin, Lang::Fr) => "admin",
        (RoleMember, Lang::En) => "member",
        (RoleMember, Lang::Fr) => "membre",
        (Language, Lang::En) => "Language",
        (Language, Lang::Fr) => "Langue",
        (Connections, Lang::En) => "ATS connections",
        (Connections, Lang::Fr) => "Connexions ATS",
        (ConnectTitle, Lang::En) => "Connect an ATS",
        (ConnectTitle, Lang::Fr) => "Connecter un ATS",
        (ConnectionName, Lang::En) => "Connection name",
        (ConnectionName, Lang::Fr) => "Nom de la connexion",
        (ApiKey, Lang::En) => "API key",
        (ApiKey, Lang::Fr) => "Clé d’API",
        (Connect, Lang::En) => "Connect",
        (Connect, Lang::Fr) => "Connecter",
        (Connecting, Lang::En) => "Connecting…",
        (Connecting, Lang::Fr) => "Connexion…",
        (ConnectedTitle, Lang::En) => "ATS connected",
        (ConnectedTitle, Lang::Fr) => "ATS connecté",
        (TestConnection, Lang::En) => "Test connection",
        (TestConnection, Lang::Fr) => "Tester la connexion",
        (SyncNow, Lang::En) => "Sync now",
        (SyncNow, Lang::Fr) => "Synchroniser",
        (Relink, Lang::En) => "Relink (new key)",
        (Relink, Lang::Fr) => "Relier (nouvelle clé)",
        (Deactivate, Lang::En) => "Deactivate",
        (Deactivate, Lang::Fr) => "Désactiver",
        (Activate, Lang::En) => "Activate",
        (Activate, Lang::Fr) => "Activer",
        (Delete, Lang::En) => "Delete",
        (Delete, Lang::Fr) => "Supprimer",
        (ConfirmDeactivate, Lang::En) => "Deactivate this connection? Sync stops; everything already synced is kept.",
        (ConfirmDeactivate, Lang::Fr) => "Désactiver cette connexion ? La synchronisation s’arrête ; les données déjà synchronisées sont conservées.",
        (ConfirmDelete, Lang::En) => "Delete this connection? Its API key is destroyed. This cannot be undone.",
        (ConfirmDelete, Lang::Fr) => "Supprimer cette connexion ? Sa clé d’API est détruite. Action irréversible.",
        (ConfirmRelink, Lang::En) => "Replace the API key? The new key is checked first; if refused, the old one stays.",
        (ConfirmRelink, Lang::Fr) => "Remplacer la clé d’API ? La nouvelle clé est vérifiée d’abord ; si elle est refusée, l’ancienne reste.",
        (TestOk, Lang::En) => "Connection works",
        (TestOk, Lang::Fr) => "La connexion fonctionne",
        (Default, Lang::En) => "default",
        (Default, Lang::Fr) => "par défaut",
        (LastSync, Lang::En) => "Last sync",
        (LastSync, Lang::Fr) => "Dernière synchro",
        (Never, Lang::En) => "never",
        (Never, Lang::Fr) => "jamais",
        (Available, Lang::En) => "Available",
        (Available, Lang::Fr) => "Disponibles",
        (Beta, Lang::En) => "Beta",
        (Beta, Lang::Fr) => "Bêta",
        (OnRequest, Lang::En) => "On request",
        (OnRequest, Lang::Fr) => "Sur demande",
        (CantFind, Lang::En) => "Can’t find your ATS?",
        (CantFind, Lang::Fr) => "Votre ATS n’est pas listé ?",
        (Other, Lang::En) => "Other",
        (Other, Lang::Fr) => "Autre",
        (RequestIt, Lang::En) => "Request it",
        (RequestIt, Lang::Fr) => "Le demander",
        (Requested, Lang::En) => "Request sent",
        (Requested, Lang::Fr) => "Demande envoyée",
        (Members, Lang::En) => "Members",
        (Members, Lang::Fr) => "Membres",
        (Invites, Lang::En) => "Invites",
        (Invites, Lang::Fr) => "Invitations",
        (CreateInvite, Lang::En) => "Create invite",
        (CreateInvite, Lang::Fr) => "Créer une invitation",
        (InviteCreated, Lang::En) => "Invite code (shown once):",
        (InviteCreated, Lang::Fr) => "Code d’invitation (affiché une fois) :",
        (Copy, Lang::En) => "Copy",
        (Copy, Lang::Fr) => "Copier",
        (Revoke, Lang::En) => "Revoke",
        (Revoke, Lang::Fr) => "Révoquer",
        (Remove, Lang::En) => "Remove",
        (Remove, Lang::Fr) => "Retirer",
        (AuditLog, Lang::En) => "Audit log",
        (AuditLog, Lang::Fr) => "Journal d’audit",
        (LoadMore, Lang::En) => "Load more",
        (LoadMore, Lang::Fr) => "Charger plus",
        (AdminsOnly, Lang::En) => "Only admins manage connections and members.",
        (AdminsOnly, Lang::Fr) => "Seuls les admins gèrent les connexions et les membres.",
        (Status, Lang::En) => "Status",
        (Status, Lang::Fr) => "Statut",
        (ConfidenceSame, Lang::En) => "Same person",
        (ConfidenceSame, Lang::Fr) => "Même personne",
        (ConfidenceLikely, Lang::En) => "Likely the same",
        (ConfidenceLikely, Lang::Fr) => "Probablement la même",
        (ConfidenceMaybe, Lang::En) => "Maybe",
        (ConfidenceMaybe, Lang::Fr) => "Peut-être",
        (NotSamePerson, Lang::En) => "Not the same person?",
        (NotSamePerson, Lang::Fr) => "Pas la même personne\u{a0}?",
        (NoneOfThese, Lang::En) => "None of these",
        (NoneOfThese, Lang::Fr) => "Aucun de ceux-ci",
        (OpenContactInfo, Lang::En) => "Open contact info",
        (OpenContactInfo, Lang::Fr) => "Ouvrir les coordonnées",
        (Edit, Lang::En) => "Edit",
        (Edit, Lang::Fr) => "Modifier",
        (DoneEditing, Lang::En) => "Done",
        (DoneEditing, Lang::Fr) => "Terminé",
        (Retry, Lang::En) => "Retry",
        (Retry, Lang::Fr) => "Réessayer",
        (Cancel, Lang::En) => "Cancel",
        (Cancel, Lang::Fr) => "Annuler",
        (UploadAnyway, Lang::En) => "Upload as a new person",
        (UploadAnyway, Lang::Fr) => "Importer comme nouvelle personne",
        (NeedsName, Lang::En) => "Add a first and a last name to upload",
        (NeedsName, Lang::Fr) => "Ajoutez un prénom et un nom pour importer",
        (FixEmail, Lang::En) => "Fix the email address to upload",
        (FixEmail, Lang::Fr) => "Corrigez l’adresse e-mail pour importer",
        (ChooseMatch, Lang::En) => "Pick the matching profile above, or “None of these”",
        (ChooseMatch, Lang::Fr) => "Choisissez le profil correspondant ci-dessus, ou «\u{a0}Aucun de ceux-ci\u{a0}»",
        (CheckFailedReason, Lang::En) => "The check failed: use Retry above before sending anything",
        (CheckFailedReason, Lang::Fr) => "La vérification a échoué\u{a0}: utilisez Réessayer ci-dessus avant tout envoi",
        (QueuedShort, Lang::En) => "◔ Queued, will be delivered",
        (QueuedShort, Lang::Fr) => "◔ En file d’attente, sera envoyé",
        (QueueFailed, Lang::En) => "✗ The queued upload failed. Check the fields and try again.",
        (QueueFailed, Lang::Fr) => "✗ L’import en attente a échoué. Vérifiez les champs et réessayez.",
        (ConflictEmail, Lang::En) => "different email",
        (ConflictEmail, Lang::Fr) => "e-mail différent",
        (ConflictProfileUrl, Lang::En) => "different LinkedIn URL",
        (ConflictProfileUrl, Lang::Fr) => "URL LinkedIn différente",
        (ConflictCompany, Lang::En) => "different company",
        (ConflictCompany, Lang::Fr) => "autre entreprise",
        (ConflictLocation, Lang::En) => "different location",
        (ConflictLocation, Lang::Fr) => "autre lieu",
        (ConflictTitle, Lang::En) => "different title",
        (ConflictTitle, Lang::Fr) => "autre poste",
        (ConflictOther, Lang::En) => "different details",
        (ConflictOther, Lang::Fr) => "autres détails",
        (ChangedNothing, Lang::En) => "Nothing needed changing: the record already had it all.",
        (ChangedNothing, Lang::Fr) => "Rien à modifier\u{a0}: la fiche avait déjà tout.",
        (NothingWritable, Lang::En) => "Nothing was written: this ATS takes neither notes nor links on an existing record. Choose a job to add the candidate to it.",
        (NothingWritable, Lang::Fr) => "Rien n’a été écrit\u{a0}: cet ATS n’accepte ni note ni lien sur une fiche existante. Choisissez un poste pour y ajouter le candidat.",
        (Evidence, Lang::En) => "Evidence",
        (Evidence, Lang::Fr) => "Indices",
        (TeamHistory, Lang::En) => "Team history",
        (TeamHistory, Lang::Fr) => "Historique de l’équipe",
        (MergeSelected, Lang::En) => "Merge into the chosen profile",
        (MergeSelected, Lang::Fr) => "Fusionner avec le profil choisi",
    }
}

/// The toast after connecting (or relinking) `provider`'s ATS, by its name.
pub fn connected_body(lang: Lang, provider: &str) -> String {
    match lang {
        Lang::En => format!("{provider} has been connected to your organization."),
        Lang::Fr => format!("{provider} a été connecté à votre organisation."),
    }
}

/// The toast for a problem: a title and what to do next.
#[allow(
    clippy::too_many_lines,
    clippy::match_same_arms,
    reason = "a translation table: one arm per code and language, and two codes may read alike"
)]
pub fn error_text(lang: Lang, problem: Problem) -> (&'static str, &'static str) {
    match (problem, lang) {
        (Problem::Api(ErrorCode::Unauthorized), Lang::En) => (
            "Signed out",
            "Your session ended. Sign in again in Settings.",
        ),
        (Problem::Api(ErrorCode::Unauthorized), Lang::Fr) => (
            "Déconnecté",
            "Votre session a expiré. Reconnectez-vous dans les Réglages.",
        ),
        (Problem::Api(ErrorCode::Forbidden), Lang::En) => (
            "Not allowed",
            "Your role does not allow this. Ask an admin.",
        ),
        (Problem::Api(ErrorCode::Forbidden), Lang::Fr) => (
            "Non autorisé",
            "Votre rôle ne le permet pas. Demandez à un admin.",
        ),
        (Problem::Api(ErrorCode::NotFound), Lang::En) => (
            "Not found",
            "It no longer exists, or the code is used or expired.",
        ),
        (Problem::Api(ErrorCode::NotFound), Lang::Fr) => (
            "Introuvable",
            "Il n’existe plus, ou le code est utilisé ou expiré.",
        ),
        (Problem::Api(ErrorCode::InvalidRequest), Lang::En) => {
            ("Check the form", "A required field is missing or invalid.")
        }
        (Problem::Api(ErrorCode::InvalidRequest), Lang::Fr) => (
            "Vérifiez le formulaire",
            "Un champ obligatoire manque ou est invalide.",
        ),
        (Problem::Api(ErrorCode::InvalidKey), Lang::En) => ("Connection failed", "The ATS refused this API key."),
        (Problem::Api(ErrorCode::InvalidKey), Lang::Fr) => ("Connexion échouée", "L’ATS a refusé cette clé d’API."),
        (Problem::Api(ErrorCode::InsufficientPermissions), Lang::En) => (
            "Connection failed",
            "The API key lacks a permission Sourcebar needs.",
        ),
        (Problem::Api(ErrorCode::InsufficientPermissions), Lang::Fr) => (
            "Connexion échouée",
            "La clé d’API n’a pas une permission nécessaire.",
        ),
        (Problem::Api(ErrorCode::AtsUnreachable), Lang::En) => {
            ("Connection failed", "Unable to connect the ATS provider.")
        }
        (Problem::Api(ErrorCode::AtsUnreachable), Lang::Fr) => (
            "Connexion échouée",
            "Impossible de connecter le fournisseur ATS.",
        ),
        (Problem::Api(ErrorCode::AtsRateLimited), Lang::En) => (
            "ATS busy",
            "The ATS is rate limiting your team. Try again in a minute.",
        ),
        (Problem::Api(ErrorCode::AtsRateLimited), Lang::Fr) => (
            "ATS saturé",
            "L’ATS limite les appels de votre équipe. Réessayez dans une minute.",
        ),
        (Problem::Api(ErrorCode::AtsError), Lang::En) => (
            "ATS error",
            "The ATS refused the request. Check the fields and try again.",
        ),
        (Problem::Api(ErrorCode::AtsError), Lang::Fr) => (
            "Erreur de l’ATS",
            "L’ATS a refusé la demande. Vérifiez les champs et réessayez.",
        ),
        (Problem::Api(ErrorCode::NoActiveConnection), Lang::En) => (
            "No ATS connected",
            "Ask an admin to connect or activate your ATS in Settings.",
        ),
        (Problem::Api(ErrorCode::NoActiveConnection), Lang::Fr) => (
            "Aucun ATS connecté",
            "Demandez à un admin de connecter ou d’activer votre ATS dans les Réglages.",
        ),
        (Problem::Api(ErrorCode::Conflict), Lang::En) => (
            "Already in progress",
            "The same request is still running. Wait a moment.",
        ),
        (Problem::Api(ErrorCode::Conflict), Lang::Fr) => (
            "Déjà en cours",
            "La même demande est en cours. Patientez un instant.",
        ),
        // An invite accepted with the email of someone already in the team.
        (Problem::InviteEmailTaken, Lang::En) => (
            "Already a member",
            "This email already belongs to a member of the team. Paste your own token instead, or use another email.",
        ),
        (Problem::InviteEmailTaken, Lang::Fr) => (
            "Déjà membre",
            "Cet e-mail appartient déjà à un membre de l’équipe. Collez plutôt votre propre jeton, ou utilisez un autre e-mail.",
        ),
        (Problem::Api(ErrorCode::IdempotencyKeyReused), Lang::En) => (
            "Changed since",
            "The form changed since the last attempt. Try again.",
        ),
        (Problem::Api(ErrorCode::IdempotencyKeyReused), Lang::Fr) => (
            "Modifié entre-temps",
            "Le formulaire a changé depuis la dernière tentative. Réessayez.",
        ),
        (Problem::Offline, Lang::En) => (
            "Offline",
            "The companion server cannot be reached. Check your network or its URL in Settings.",
        ),
        (Problem::Offline, Lang::Fr) => (
            "Hors ligne",
            "Le serveur est injoignable. Vérifiez votre réseau ou son URL dans les Réglages.",
        ),
        (Problem::CompanionUrl(CompanionUrlError::InsecureRemote), Lang::En) => (
            "Unsafe companion address",
            "Plain http:// is allowed only for this computer (localhost, 127.0.0.1, [::1]). Enter the companion’s https:// address in Settings.",
        ),
        (Problem::CompanionUrl(CompanionUrlError::InsecureRemote), Lang::Fr) => (
            "Adresse du serveur non sûre",
            "Le http:// simple n’est permis que pour cet ordinateur (localhost, 127.0.0.1, [::1]). Saisissez l’adresse https:// du serveur dans les Réglages.",
        ),
        (Problem::CompanionUrl(CompanionUrlError::Malformed), Lang::En) => (
            "Invalid companion address",
            "Enter an address such as https://sourcebar.example.com, without spaces, user name, ? or #.",
        ),
        (Problem::CompanionUrl(CompanionUrlError::Malformed), Lang::Fr) => (
            "Adresse du serveur invalide",
            "Saisissez une adresse comme https://sourcebar.example.com, sans espace, nom d’utilisateur, ? ni #.",
        ),
        (Problem::CompanionUrl(CompanionUrlError::NotHttp), Lang::En) => (
            "Invalid companion address",
            "The companion’s address starts with https://.",
        ),
        (Problem::CompanionUrl(CompanionUrlError::NotHttp), Lang::Fr) => (
            "Adresse du serveur invalide",
            "L’adresse du serveur commence par https://.",
        ),
        (Problem::Api(ErrorCode::RateLimited), Lang::En) => ("Slow down", "Too many requests. Try again in a minute."),
        (Problem::Api(ErrorCode::RateLimited), Lang::Fr) => ("Doucement", "Trop de demandes. Réessayez dans une minute."),
        (_, Lang::En) => (
            "Something went wrong",
            "Try again. If it persists, tell your admin.",
        ),
        (_, Lang::Fr) => (
            "Un problème est survenu",
            "Réessayez. Si cela persiste, prévenez votre admin.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn french_is_chosen_for_every_french_locale() {
        assert_eq!(Lang::from_tag("fr"), Lang::Fr);
        assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_connection_failure_toast_reads_as_specified() {
        assert_eq!(
            error_text(Lang::En, Problem::Api(ErrorCode::AtsUnreachable)),
            ("Connection failed", "Unable to connect the ATS provider.")
        );
        assert_eq!(
            error_text(Lang::Fr, Problem::Api(ErrorCode::AtsUnreachable)),
            (
                "Connexion échouée",
                "Impossible de connecter le fournisseur ATS."
            )
        );
        assert_ne!(
            error_text(Lang::Fr, Problem::Api(ErrorCode::Internal)).0,
            error_text(Lang::En, Problem::Api(ErrorCode::Internal)).0
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_contract_code_but_a_server_fault_has_its_own_words_in_both_languages() {
        let generic = error_text(Lang::En, Problem::Api(ErrorCode::Internal));
        for code in ErrorCode::ALL {
            if code == ErrorCode::Internal {
                continue;
            }
            let en = error_text(Lang::En, Problem::Api(code));
            assert_ne!(en, generic, "{code:?}");
            assert_ne!(en, error_text(Lang::Fr, Problem::Api(code)), "{code:?}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_connected_toast_names_the_provider_that_was_connected() {
        assert_eq!(
            connected_body(Lang::En, "Greenhouse"),
            "Greenhouse has been connected to your organization."
        );
        assert!(connected_body(Lang::Fr, "JazzHR").starts_with("JazzHR a été connecté"));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_companion_url_refusal_has_its_own_message_in_both_languages() {
        let generic = error_text(Lang::En, Problem::Api(ErrorCode::Internal));
        for error in [
            CompanionUrlError::NotHttp,
            CompanionUrlError::InsecureRemote,
            CompanionUrlError::Malformed,
        ] {
            let en = error_text(Lang::En, Problem::CompanionUrl(error));
            let fr = error_text(Lang::Fr, Problem::CompanionUrl(error));
            assert_ne!(en, generic, "{error:?}");
            assert_ne!(en, fr, "{error:?}");
        }
        assert!(error_text(
            Lang::En,
            Problem::CompanionUrl(CompanionUrlError::InsecureRemote)
        )
        .1
        .contains("http://"));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_settings_hint_is_translated() {
        assert_eq!(
            t(Lang::En, Text::NotConnectedTitle),
            "Connect Sourcebar to your team in Settings"
        );
        assert_ne!(
            t(Lang::Fr, Text::NotConnectedTitle),
            t(Lang::En, Text::NotConnectedTitle)
        );
    }
}
