//! Party organisations (党组织) and the rules of their tree: which kind may sit under
//! which, who may hold approval authority, and why a move or a closure is refused.
//!
//! The tree is stored as `parent_id` plus a materialised `path` of ids
//! (`/root/child/…/self/`), so a subtree is one prefix range; see [`path_for`].

/// Officers, terms and elections (ORG-012, ORG-013).
pub mod officers;

use crate::error::{FieldError, Reason, ValidationErrors};
use crate::text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest organisation name, in characters.
pub const NAME_MAX: usize = 100;
/// Longest enterprise or station name, in characters.
pub const SHORT_MAX: usize = 100;
/// Longest address, in characters.
pub const ADDRESS_MAX: usize = 200;

/// The kinds of party organisation (GLOSSARY.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 互联网企业工委: the root of a deployment.
    WorkingCommittee,
    /// 党委 / 二级党委.
    Committee,
    /// 行业党委 / 行业党组织.
    IndustryOrganization,
    /// 党总支.
    GeneralBranch,
    /// 党支部.
    Branch,
    /// 流动党支部.
    MobileBranch,
}

impl OrgKind {
    /// Every kind, from the top of the tree down.
    pub const ALL: [OrgKind; 6] = [
        OrgKind::WorkingCommittee,
        OrgKind::Committee,
        OrgKind::IndustryOrganization,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::MobileBranch,
    ];

    /// The code used in storage, URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::WorkingCommittee => "working_committee",
            OrgKind::Committee => "committee",
            OrgKind::IndustryOrganization => "industry_organization",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
            OrgKind::MobileBranch => "mobile_branch",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese term.
    pub fn zh(self) -> &'static str {
        match self {
            OrgKind::WorkingCommittee => "工委",
            OrgKind::Committee => "党委",
            OrgKind::IndustryOrganization => "行业党组织",
            OrgKind::GeneralBranch => "党总支",
            OrgKind::Branch => "党支部",
            OrgKind::MobileBranch => "流动党支部",
        }
    }

    /// The English term.
    pub fn en(self) -> &'static str {
        match self {
            OrgKind::WorkingCommittee => "Working committee",
            OrgKind::Committee => "Party committee",
            OrgKind::IndustryOrganization => "Industry party organisation",
            OrgKind::GeneralBranch => "General branch",
            OrgKind::Branch => "Branch",
            OrgKind::MobileBranch => "Mobile branch",
        }
    }

    /// Branches hold members and no sub-organisations.
    pub fn is_branch(self) -> bool {
        matches!(self, OrgKind::Branch | OrgKind::MobileBranch)
    }

    /// A party committee (党委) of some sort: the only kinds that may approve (DEV-034).
    pub fn is_committee(self) -> bool {
        matches!(self, OrgKind::WorkingCommittee | OrgKind::Committee | OrgKind::IndustryOrganization)
    }
}

/// Untrusted organisation fields, as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Whether the committee may approve probationary members.
    #[serde(default)]
    pub approval_authority: bool,
    /// A temporary organisation (临时党组织).
    #[serde(default)]
    pub temporary: bool,
    /// Enterprise it sits in.
    #[serde(default)]
    pub enterprise: String,
    /// Delivery station or depot it is attached to.
    #[serde(default)]
    pub station: String,
    /// Address.
    #[serde(default)]
    pub address: String,
}

/// Checked organisation fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgFields {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Approval authority (only a non-temporary committee).
    pub approval_authority: bool,
    /// Temporary organisation.
    pub temporary: bool,
    /// Enterprise.
    pub enterprise: Option<String>,
    /// Station.
    pub station: Option<String>,
    /// Address.
    pub address: Option<String>,
}

impl OrgFields {
    /// Checks every field and reports all refusals at once.
    pub fn parse(input: &OrgInput) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let name = errs.take(text::required("name", &input.name, NAME_MAX));
        let kind = match OrgKind::from_code(input.kind.trim()) {
            Some(k) => Some(k),
            None if input.kind.trim().is_empty() => {
                errs.push("kind", Reason::Required);
                None
            }
            None => {
                errs.push("kind", Reason::UnknownChoice);
                None
            }
        };
        let enterprise = errs.take(text::optional("enterprise", &input.enterprise, SHORT_MAX));
        let station = errs.take(text::optional("station", &input.station, SHORT_MAX));
        let address = errs.take(text::optional("address", &input.address, ADDRESS_MAX));
        if let Some(k) = kind
            && input.approval_authority
            && (!k.is_committee() || input.temporary)
        {
            errs.push("approval_authority", Reason::ApprovalAuthorityNotAllowed);
        }
        match (name, kind, enterprise, station, address) {
            (Some(name), Some(kind), Some(enterprise), Some(station), Some(address)) if errs.0.is_empty() => {
                Ok(Self {
                    name,
                    kind,
                    approval_authority: input.approval_authority,
                    temporary: input.temporary,
                    enterprise,
                    station,
                    address,
                })
            }
            _ => Err(errs),
        }
    }
}

/// What the tree rules need to know about an existing organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    /// Id.
    pub id: Uuid,
    /// Top organisation of its deployment.
    pub tenant_id: Uuid,
    /// Materialised path (`/a/b/self/`).
    pub path: String,
    /// Kind.
    pub kind: OrgKind,
    /// Closed on, if closed.
    pub closed_on: Option<Date>,
}

/// Checks that an organisation of `kind` may sit under `parent` (None = at the top).
pub fn check_placement(kind: OrgKind, parent: Option<&TreeNode>) -> Result<(), FieldError> {
    let err = |r| Err(FieldError::new("parent_id", r));
    match parent {
        None if kind == OrgKind::WorkingCommittee => Ok(()),
        None => err(Reason::ParentRequired),
        Some(_) if kind == OrgKind::WorkingCommittee => err(Reason::WorkingCommitteeHasParent),
        Some(p) if p.closed_on.is_some() => err(Reason::OrganizationClosed),
        Some(p) if p.kind.is_branch() => err(Reason::ParentIsBranch),
        Some(_) => Ok(()),
    }
}

/// Checks moving `node` under `new_parent`: never into its own subtree, never to another
/// deployment, and the placement rules still hold.
pub fn check_move(node: &TreeNode, new_parent: &TreeNode) -> Result<(), FieldError> {
    if new_parent.path.starts_with(&node.path) {
        return Err(FieldError::new("parent_id", Reason::MoveIntoOwnSubtree));
    }
    if new_parent.tenant_id != node.tenant_id {
        return Err(FieldError::new("parent_id", Reason::CrossTenantMove));
    }
    check_placement(node.kind, Some(new_parent))
}

/// Checks changing the kind of an organisation that has `open_children` sub-organisations.
pub fn check_kind_change(new_kind: OrgKind, has_parent: bool, open_children: u64) -> Result<(), FieldError> {
    if new_kind.is_branch() && open_children > 0 {
        return Err(FieldError::new("kind", Reason::BranchWithChildren));
    }
    if new_kind == OrgKind::WorkingCommittee && has_parent {
        return Err(FieldError::new("kind", Reason::WorkingCommitteeHasParent));
    }
    if new_kind != OrgKind::WorkingCommittee && !has_parent {
        return Err(FieldError::new("kind", Reason::ParentRequired));
    }
    Ok(())
}

/// Checks closing an organisation on `on`.
pub fn check_close(
    node: &TreeNode,
    open_children: u64,
    people: u64,
    on: Date,
    today: Date,
) -> Result<(), FieldError> {
    if node.closed_on.is_some() {
        return Err(FieldError::new("closed_on", Reason::AlreadyClosed));
    }
    if on > today {
        return Err(FieldError::new("closed_on", Reason::DateInFuture));
    }
    if open_children > 0 || people > 0 {
        return Err(FieldError::new("closed_on", Reason::CloseNotEmpty));
    }
    Ok(())
}

/// The short number an organisation is shown with (`ZZ-3F2A-91BC`): the last eight hex
/// digits of its id (the random part of a UUIDv7), for reading out and writing down instead
/// of the whole id.
pub fn short_code(id: Uuid) -> String {
    let hex = id.simple().to_string().to_uppercase();
    format!("ZZ-{}-{}", &hex[24..28], &hex[28..32])
}

/// The materialised path of `id` under a parent with `parent_path` (None = a root).
pub fn path_for(parent_path: Option<&str>, id: Uuid) -> String {
    let mut p = parent_path.unwrap_or("/").to_owned();
    p.push_str(&id.simple().to_string());
    p.push('/');
    p
}

/// The exclusive upper bound of the subtree whose paths start with `path`:
/// every descendant path `d` satisfies `path <= d < subtree_end(path)`, because the
/// characters after the prefix are hex digits and `/`, all of which sort above `/`
/// and below `0`-after-`/` replacement.
pub fn subtree_end(path: &str) -> String {
    let mut end = path.trim_end_matches('/').to_owned();
    end.push('0');
    end
}

/// Depth of a path: 0 for a root.
pub fn depth(path: &str) -> usize {
    path.matches('/').count().saturating_sub(2)
}

/// The ids in a path, root first.
pub fn ancestors(path: &str) -> Vec<Uuid> {
    path.split('/').filter(|s| !s.is_empty()).filter_map(|s| Uuid::try_parse(s).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(path: &str, kind: OrgKind, tenant: u128) -> TreeNode {
        let id = *ancestors(path).last().unwrap();
        TreeNode { id, tenant_id: Uuid::from_u128(tenant), path: path.into(), kind, closed_on: None }
    }

    fn input(kind: &str) -> OrgInput {
        OrgInput { name: "某党支部".into(), kind: kind.into(), ..Default::default() }
    }

    #[test]
    fn paths_nest_and_bound_their_subtree() {
        let a = Uuid::from_u128(0xa);
        let b = Uuid::from_u128(0xb);
        let pa = path_for(None, a);
        let pb = path_for(Some(&pa), b);
        assert!(pb.starts_with(&pa));
        assert_eq!(depth(&pa), 0);
        assert_eq!(depth(&pb), 1);
        assert!(pa.as_str() <= pb.as_str() && pb.as_str() < subtree_end(&pa).as_str());
        let sibling = path_for(None, Uuid::from_u128(0xab));
        assert!(!(sibling.as_str() >= pa.as_str() && sibling.as_str() < subtree_end(&pa).as_str()));
        assert_eq!(ancestors(&pb), vec![a, b]);
    }

    #[test]
    fn a_short_code_is_the_ids_last_eight_hex_digits() {
        let id = Uuid::parse_str("01a24c56-00dc-756e-94d3-b7f542d5d942").unwrap();
        assert_eq!(short_code(id), "ZZ-42D5-D942");
    }

    #[test]
    fn a_move_into_the_own_subtree_is_refused() {
        let root = Uuid::from_u128(1);
        let pr = path_for(None, root);
        let c = path_for(Some(&pr), Uuid::from_u128(2));
        let g = path_for(Some(&c), Uuid::from_u128(3));
        let committee = node(&c, OrgKind::Committee, 1);
        let grandchild = node(&g, OrgKind::GeneralBranch, 1);
        assert_eq!(check_move(&committee, &grandchild).unwrap_err().reason, Reason::MoveIntoOwnSubtree);
        assert_eq!(check_move(&committee, &committee).unwrap_err().reason, Reason::MoveIntoOwnSubtree);
        let other_tenant = node(&path_for(None, Uuid::from_u128(9)), OrgKind::WorkingCommittee, 9);
        assert_eq!(check_move(&committee, &other_tenant).unwrap_err().reason, Reason::CrossTenantMove);
        let root_node = node(&pr, OrgKind::WorkingCommittee, 1);
        assert!(check_move(&grandchild, &root_node).is_ok());
    }

    #[test]
    fn placement_follows_the_kinds() {
        let wc = node(&path_for(None, Uuid::from_u128(1)), OrgKind::WorkingCommittee, 1);
        let branch = node(&path_for(Some(&wc.path), Uuid::from_u128(2)), OrgKind::Branch, 1);
        assert!(check_placement(OrgKind::WorkingCommittee, None).is_ok());
        assert_eq!(check_placement(OrgKind::Branch, None).unwrap_err().reason, Reason::ParentRequired);
        assert_eq!(
            check_placement(OrgKind::WorkingCommittee, Some(&wc)).unwrap_err().reason,
            Reason::WorkingCommitteeHasParent
        );
        assert_eq!(
            check_placement(OrgKind::Branch, Some(&branch)).unwrap_err().reason,
            Reason::ParentIsBranch
        );
        let mut closed = wc.clone();
        closed.closed_on = Some(Date::constant(2024, 1, 1));
        assert_eq!(
            check_placement(OrgKind::Committee, Some(&closed)).unwrap_err().reason,
            Reason::OrganizationClosed
        );
    }

    #[test]
    fn approval_authority_only_on_a_permanent_committee() {
        let mut i = input("general_branch");
        i.approval_authority = true;
        let e = OrgFields::parse(&i).unwrap_err();
        assert_eq!(e.0[0].reason, Reason::ApprovalAuthorityNotAllowed);
        assert_eq!(e.0[0].reason.rule(), Some("DEV-034"));
        i.kind = "committee".into();
        assert!(OrgFields::parse(&i).is_ok());
        i.temporary = true;
        assert!(OrgFields::parse(&i).is_err());
    }

    #[test]
    fn every_field_error_is_reported_at_once() {
        let i = OrgInput {
            name: "x".repeat(101),
            kind: "club".into(),
            address: "地".repeat(201),
            ..Default::default()
        };
        let e = OrgFields::parse(&i).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["name", "kind", "address"]);
    }

    #[test]
    fn closing_needs_an_empty_organisation() {
        let wc = node(&path_for(None, Uuid::from_u128(1)), OrgKind::WorkingCommittee, 1);
        let today = Date::constant(2026, 11, 29);
        assert_eq!(check_close(&wc, 1, 0, today, today).unwrap_err().reason, Reason::CloseNotEmpty);
        assert_eq!(check_close(&wc, 0, 3, today, today).unwrap_err().reason, Reason::CloseNotEmpty);
        assert_eq!(
            check_close(&wc, 0, 0, Date::constant(2026, 11, 30), today).unwrap_err().reason,
            Reason::DateInFuture
        );
        assert!(check_close(&wc, 0, 0, today, today).is_ok());
    }
}
