//! The city side in storage: the map's districts and places, the phone directory, the
//! badge and sticker register with its signed verification codes and citizens' feedback,
//! and the portal (news, published settings, citizens' volunteer sign-ups).

pub mod badges;
pub mod codes;
pub mod directory;
pub mod map;
pub mod portal;
