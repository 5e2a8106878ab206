//! Who may do what where: roles granted on an organisation reach its whole subtree, each
//! role carries a fixed set of permissions, and a check needs a grant that both carries
//! the permission and covers the target's place in the tree.
//!
//! The auditor reads the journal and nothing else, and no role that changes data reads or
//! manages the journal: the separation of system, security and audit administrators that
//! MLPS level 3 asks for.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A role (GLOSSARY.md additions: 系统管理员, 组织管理员, 组织员, 书记, 党员, 申请人, 审计员).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: runs the system's configuration and creates accounts, reading no people
    /// or dossiers (三员分立).
    SystemAdmin,
    /// 安全管理员: grants and withdraws roles, reading no people or dossiers (三员分立).
    SecurityAdmin,
    /// 组织管理员: manages an organisation's subtree and its accounts.
    OrgAdmin,
    /// 组织员: screens and files dossiers across a subtree.
    Organiser,
    /// 书记: runs a branch (or committee) and its people.
    Secretary,
    /// 党员: sees and edits only themself.
    Member,
    /// 申请人: sees and edits only themself.
    Applicant,
    /// 审计员: reads the journal and nothing else.
    Auditor,
}

/// A permission a route or action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See organisations.
    ReadOrgs,
    /// Create, edit, move and close organisations.
    WriteOrgs,
    /// See people (numbers masked).
    ReadPeople,
    /// Register and edit people.
    WritePeople,
    /// See full ID and phone numbers (each viewing is journaled).
    Unmask,
    /// Create accounts and see the account list.
    ManageUsers,
    /// Grant roles on organisations (and see the account list).
    GrantRoles,
    /// Read and verify the journal.
    ReadJournal,
    /// See one's own record.
    ReadSelf,
    /// Edit the self-service fields of one's own record.
    WriteSelf,
    /// See member-development dossiers, work queues and screening results.
    ReadDossiers,
    /// Record steps of dossiers and answer filings.
    WriteDossiers,
    /// Set the local (L) and unconfirmed (U) rule settings; deployment-wide also the
    /// working-day calendar.
    ManageRules,
    /// Record meetings and see an organisation's meeting calendar.
    ManageMeetings,
    /// Publish courses and weekly quizzes, keep the question bank, see reach and participation.
    ManageStudy,
    /// Keep the care-benefit catalogue and its budget, fulfil redemptions, set the credit
    /// rules and credit volunteer service.
    ManageCare,
    /// Run volunteer service: teams, service requests and their shifts, hours, campaigns
    /// and donations (志愿服务).
    ManageService,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 8] = [
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::OrgAdmin,
        Role::Organiser,
        Role::Secretary,
        Role::Member,
        Role::Applicant,
        Role::Auditor,
    ];

    /// The code used in storage, the command line and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::OrgAdmin => "org_admin",
            Role::Organiser => "organiser",
            Role::Secretary => "secretary",
            Role::Member => "member",
            Role::Applicant => "applicant",
            Role::Auditor => "auditor",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::OrgAdmin => "组织管理员",
            Role::Organiser => "组织员",
            Role::Secretary => "书记",
            Role::Member => "党员",
            Role::Applicant => "申请人",
            Role::Auditor => "审计员",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Role::SystemAdmin => "System administrator",
            Role::SecurityAdmin => "Security administrator",
            Role::OrgAdmin => "Organisation administrator",
            Role::Organiser => "Organiser",
            Role::Secretary => "Secretary",
            Role::Member => "Member",
            Role::Applicant => "Applicant",
            Role::Auditor => "Auditor",
        }
    }

    /// The permissions the role carries.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            // 三员分立: the system administrator keeps the configuration (the organisation
            // tree, rule settings, the calendar) and creates accounts; the security
            // administrator grants roles; the auditor reads the journal. None of them reads
            // people or dossiers.
            Role::SystemAdmin => &[ReadOrgs, WriteOrgs, ManageUsers, ManageRules],
            Role::SecurityAdmin => &[GrantRoles],
            Role::OrgAdmin => &[
                ReadOrgs,
                WriteOrgs,
                ReadPeople,
                WritePeople,
                Unmask,
                ManageUsers,
                GrantRoles,
                ReadDossiers,
                WriteDossiers,
                ManageRules,
                ManageMeetings,
                ManageStudy,
                ManageCare,
                ManageService,
            ],
            Role::Organiser => &[
                ReadOrgs,
                ReadPeople,
                WritePeople,
                Unmask,
                ReadDossiers,
                WriteDossiers,
                ManageMeetings,
                ManageStudy,
                ManageService,
            ],
            Role::Secretary => &[
                ReadOrgs,
                ReadPeople,
                WritePeople,
                ReadDossiers,
                WriteDossiers,
                ManageMeetings,
                ManageStudy,
                ManageService,
            ],
            Role::Member | Role::Applicant => &[ReadSelf, WriteSelf],
            Role::Auditor => &[ReadJournal],
        }
    }

    /// Whether the role is one of the three separated administrators (三员: system,
    /// security, audit), set up on the server's command line only and always
    /// deployment-wide.
    pub fn is_separated_administrator(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::Auditor)
    }

    /// Whether the role must sign in with a second factor.
    pub fn needs_second_factor(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::OrgAdmin | Role::Organiser | Role::Secretary
        )
    }
}

/// A role granted on an organisation; it reaches the organisation's subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The organisation it was granted on (None = the whole deployment).
    pub org_id: Option<Uuid>,
    /// That organisation's materialised path (`/` for the whole deployment).
    pub org_path: String,
}

/// Where an action lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// Something in the organisation with this path (or the organisation itself).
    Org(&'a str),
    /// No particular place (a list that the caller narrows to the grants' subtrees).
    Anywhere,
}

/// Whether one of `grants` carries `permission` and covers `target`.
pub fn allows(grants: &[Grant], permission: Permission, target: Target<'_>) -> bool {
    grants.iter().any(|g| {
        g.role.permissions().contains(&permission)
            && match target {
                Target::Org(path) => path.starts_with(&g.org_path),
                Target::Anywhere => true,
            }
    })
}

/// The subtrees (paths) in which `grants` carry `permission`, without nested duplicates.
pub fn scopes(grants: &[Grant], permission: Permission) -> Vec<&str> {
    let mut paths: Vec<&str> = grants
        .iter()
        .filter(|g| g.role.permissions().contains(&permission))
        .map(|g| g.org_path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let all = paths.clone();
    paths.retain(|p| !all.iter().any(|q| q != p && p.starts_with(q)));
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str) -> Grant {
        Grant { role, org_id: None, org_path: path.into() }
    }

    #[test]
    fn a_grant_reaches_its_subtree_and_nothing_else() {
        let g = [grant(Role::Secretary, "/a/b/")];
        assert!(allows(&g, Permission::ReadPeople, Target::Org("/a/b/")));
        assert!(allows(&g, Permission::ReadPeople, Target::Org("/a/b/c/")));
        assert!(!allows(&g, Permission::ReadPeople, Target::Org("/a/")), "ancestor");
        assert!(!allows(&g, Permission::ReadPeople, Target::Org("/a/x/")), "sibling");
        assert!(!allows(&g, Permission::WriteOrgs, Target::Org("/a/b/")), "not the secretary's permission");
    }

    #[test]
    fn no_role_both_changes_data_and_reads_the_journal() {
        for r in Role::ALL {
            let p = r.permissions();
            let writes = p.iter().any(|p| {
                matches!(
                    p,
                    Permission::WriteOrgs
                        | Permission::WritePeople
                        | Permission::ManageUsers
                        | Permission::GrantRoles
                )
            });
            assert!(!(writes && p.contains(&Permission::ReadJournal)), "{r:?}");
        }
        assert_eq!(Role::Auditor.permissions(), &[Permission::ReadJournal]);
    }

    #[test]
    fn the_three_administrators_are_separated_and_read_no_people() {
        let admins = [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor];
        for r in admins {
            let p = r.permissions();
            for personal in
                [Permission::ReadPeople, Permission::ReadDossiers, Permission::Unmask, Permission::ReadSelf]
            {
                assert!(!p.contains(&personal), "{r:?} reads {personal:?}");
            }
            assert!(r.is_separated_administrator());
        }
        // Each duty is held by exactly one of the three.
        for duty in [Permission::ManageUsers, Permission::GrantRoles, Permission::ReadJournal] {
            let holders: Vec<Role> = admins.into_iter().filter(|r| r.permissions().contains(&duty)).collect();
            assert_eq!(holders.len(), 1, "{duty:?}: {holders:?}");
        }
        assert!(!Role::SystemAdmin.permissions().contains(&Permission::GrantRoles));
        assert!(!Role::OrgAdmin.is_separated_administrator());
    }

    #[test]
    fn nested_scopes_collapse_to_the_outer_one() {
        let g =
            [grant(Role::Organiser, "/a/"), grant(Role::Secretary, "/a/b/"), grant(Role::Secretary, "/c/")];
        assert_eq!(scopes(&g, Permission::ReadPeople), vec!["/a/", "/c/"]);
        assert_eq!(scopes(&g, Permission::Unmask), vec!["/a/"]);
    }
}
