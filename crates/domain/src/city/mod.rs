//! The city side (城市服务): the service map's places and district outlines, the phone
//! directory (手机黄页), party badges and 先锋岗 vehicle stickers with their public
//! verification, and the committee's public portal (news, published figures, citizens'
//! volunteer sign-ups).

pub mod badges;
pub mod directory;
pub mod geo;
pub mod places;
pub mod portal;
