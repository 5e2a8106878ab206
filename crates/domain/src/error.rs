//! Validation errors that name the field, the reason and (where one applies) the rule.
//!
//! Every reason has its message in Simplified Chinese and in English in [`crate::words`],
//! so the web layer can answer in the user's language without guessing.

use serde::Serialize;

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The field is required but empty.
    Required,
    /// The text is longer than allowed.
    TooLong {
        /// Maximum number of characters.
        max: usize,
    },
    /// The value is not one of the allowed choices.
    UnknownChoice,
    /// A date could not be read (expected YYYY-MM-DD).
    BadDate,
    /// A date is written well but is not a day of the calendar (`2023-02-30`).
    NoSuchDate,
    /// A date lies after today.
    DateInFuture,
    /// A date lies before an earlier step it must follow.
    DateBefore {
        /// The field this date must not precede.
        other: &'static str,
    },
    /// A date is given for a status the person has not reached.
    DateForLaterStatus,
    /// The ID number is not 18 characters of digits (last may be X).
    IdCardFormat,
    /// The ID number's GB 11643 check digit is wrong.
    IdCardChecksum,
    /// The birth date inside the ID number is not a real date.
    IdCardBirthDate,
    /// The birth date disagrees with the one in the ID number.
    BirthDateMismatch,
    /// The gender disagrees with the one in the ID number.
    GenderMismatch,
    /// The phone number is not a mainland mobile number.
    PhoneFormat,
    /// The organisation does not exist.
    UnknownOrganization,
    /// A bare name (or a partial path) that more than one organisation has.
    AmbiguousOrganization {
        /// The name as written.
        name: String,
        /// Each candidate's qualified name (`上级 / 名称`).
        candidates: Vec<String>,
    },
    /// The organisation is closed.
    OrganizationClosed,
    /// Moving the organisation would put it under itself or its own descendant.
    MoveIntoOwnSubtree,
    /// A branch cannot contain other organisations.
    ParentIsBranch,
    /// A working committee is the root of a deployment and has no parent.
    WorkingCommitteeHasParent,
    /// Every organisation other than a working committee needs a parent.
    ParentRequired,
    /// Moving between deployments (top organisations) is not supported.
    CrossTenantMove,
    /// A person moved to an organisation of another top organisation (a transfer between
    /// working committees is a transfer out here and an entry there).
    CrossTenantTransfer,
    /// A branch cannot keep sub-organisations: its kind cannot become a branch.
    BranchWithChildren,
    /// Only a non-temporary party committee may hold approval authority (DEV-034).
    ApprovalAuthorityNotAllowed,
    /// An organisation with open sub-organisations or people cannot be closed.
    CloseNotEmpty,
    /// The organisation is already closed.
    AlreadyClosed,
    /// A mobile member needs the organisation that holds their relationship.
    HomeOrganizationRequired,
    /// Only party members (probationary or full) can be mobile members.
    MobileRequiresMember,
    /// Another person already has this ID number.
    DuplicateIdCard,
    /// Another account already has this login name.
    UsernameTaken,
    /// A login name must be 3–40 letters, digits, `.`, `_` or `-`.
    BadUsername,
    /// The current password is wrong.
    WrongPassword,
    /// The one-time code or recovery code is wrong or used.
    WrongCode,
    /// A count is larger than the count it is part of.
    CountExceeds {
        /// The field it may not exceed.
        limit: &'static str,
    },
    /// System administrators and auditors are granted on the whole deployment.
    DeploymentWideRole,
    /// A role may be granted only by someone who holds all its permissions there.
    RoleBeyondOwn,
    /// The three separated administrators are set up on the command line only.
    SeparatedAdministrator,
    /// The account may create accounts but not grant roles (三员分立).
    NoGrantHere,
    /// The two new passwords differ.
    PasswordsDiffer,
    /// The password breaks the password policy.
    WeakPassword {
        /// Why, in Chinese.
        zh: String,
        /// Why, in English.
        en: String,
    },
    /// A number is not a whole number within the allowed range.
    NumberOutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A setting is wider than the one set above: an organisation may narrow what the
    /// organisations above it allow, never widen it.
    WiderThanAbove {
        /// The most the organisations above allow (0 for no cap means none is allowed).
        limit: i64,
    },
    /// The person does not exist.
    UnknownPerson,
    /// The person belongs to an organisation outside the one being worked on.
    OutsideOrganization,
    /// Rows of one dossier number name two different people.
    TwoPeopleInOneDossier,
    /// A person or organisation outside the deployment is named without declaring the
    /// standing the rules need (the file must say it for them).
    StandingNotDeclared,
    /// The record already exists (one per person).
    AlreadyExists,
    /// Someone else changed the record meanwhile; nothing was written.
    ChangedMeanwhile,
    /// A date and time could not be read (expected YYYY-MM-DDTHH:MM).
    BadDateTime,
    /// An end is not later than its start.
    EndsBeforeStart,
    /// More than 24 hours in one day (a shift, or a volunteer's service).
    MoreThanADay,
    /// The shift has no place left.
    ShiftFull,
    /// The shift overlaps one the volunteer already has (or is the same one).
    ShiftOverlaps,
    /// It was recorded already; nothing changed.
    AlreadyRecorded,
    /// Not yet done: a request is confirmed only once every shift has ended.
    NotYetDone,
    /// Refused for a reason that is not a rule of RULES.md (credits, stock).
    Refused {
        /// Why, in Chinese.
        zh: &'static str,
        /// Why, in English.
        en: &'static str,
    },
    /// Recording this would break a rule of the procedure.
    Broken {
        /// Rule id (`DEV-010`).
        rule: &'static str,
        /// What is wrong, in Chinese.
        zh: &'static str,
        /// What is wrong, in English.
        en: &'static str,
    },
    /// The request body could not be read.
    MalformedBody {
        /// What the parser said, without internals.
        detail: String,
    },
}

impl Reason {
    /// The rule id this reason enforces, when it comes from RULES.md.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Reason::ApprovalAuthorityNotAllowed => Some("DEV-034"),
            Reason::Broken { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {}", reason.en())]
pub struct FieldError {
    /// The field's code name, as in forms and JSON.
    pub field: &'static str,
    /// Why it was refused.
    pub reason: Reason,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: &'static str, reason: Reason) -> Self {
        Self { field, reason }
    }
}

/// All refused fields of one input, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} field(s) refused", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Adds a refusal.
    pub fn push(&mut self, field: &'static str, reason: Reason) {
        self.0.push(FieldError::new(field, reason));
    }

    /// Keeps the value of a parse, or records its error and returns `None`.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// `Ok(())` when nothing was refused.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The first refusal for a field, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        ValidationErrors(vec![e])
    }
}
