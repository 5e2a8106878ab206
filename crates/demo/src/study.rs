//! The demo deployment's study and organisational life: a small question bank (党史, 党章,
//! 安全), this week's quiz for the whole committee, two short courses, and two meetings of
//! the riders' mobile branch with their attendance.

use jiff::civil::Date;
use pioneer_domain::orglife::{Attendance, MeetingFields, MeetingKind};
use pioneer_domain::study::courses::{CourseFields, CourseInput};
use pioneer_domain::study::quiz::{QuestionInput, QuizWindow};
use pioneer_store::Act;
use pioneer_store::Store;
use pioneer_store::StoreError;
use pioneer_store::study::quiz::NewQuiz;
use uuid::Uuid;

/// (kind, tag, question, options, right letters, explanation)
const QUESTIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "single",
        "党史",
        "中国共产党第一次全国代表大会于哪一年召开？",
        "1919年\n1921年\n1927年\n1949年",
        "B",
        "1921年7月，中共一大在上海召开，后转移到浙江嘉兴南湖的游船上闭幕。",
    ),
    (
        "single",
        "党史",
        "遵义会议是在哪一年召开的？",
        "1935年\n1937年\n1931年\n1945年",
        "A",
        "1935年1月，遵义会议在生死攸关的转折关头挽救了党和红军。",
    ),
    (
        "true_false",
        "党史",
        "中华人民共和国于1949年10月1日成立。",
        "",
        "A",
        "1949年10月1日，中华人民共和国中央人民政府成立。",
    ),
    (
        "single",
        "党史",
        "党的十一届三中全会在哪一年召开？",
        "1976年\n1978年\n1982年\n1992年",
        "B",
        "1978年12月召开的十一届三中全会开启了改革开放的历史新时期。",
    ),
    (
        "single",
        "党史",
        "中国共产党的诞生纪念日是哪一天？",
        "5月4日\n7月1日\n8月1日\n10月1日",
        "B",
        "党的诞生纪念日为7月1日。",
    ),
    (
        "multiple",
        "党章",
        "以下哪些属于党的纪律？",
        "政治纪律\n组织纪律\n廉洁纪律\n宗教纪律",
        "ABC",
        "党的纪律主要包括政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律。",
    ),
    ("true_false", "党章", "预备党员的预备期为一年。", "", "A", "党章规定，预备党员的预备期为一年。"),
    (
        "true_false",
        "党章",
        "党员没有正当理由，连续六个月不参加党的组织生活、不交纳党费或不做党所分配的工作，就被认为是自行脱党。",
        "",
        "A",
        "见党章第九条。",
    ),
    (
        "single",
        "党章",
        "党的最高领导机关是？",
        "党的全国代表大会和它所产生的中央委员会\n中央政治局\n中央书记处\n中央军事委员会",
        "A",
        "见党章第十条。",
    ),
    (
        "true_false",
        "安全",
        "骑电动自行车送单时应佩戴安全头盔。",
        "",
        "A",
        "佩戴头盔能大大降低事故中头部受伤的风险。",
    ),
    (
        "multiple",
        "安全",
        "遇到暴雨天气送单，以下做法正确的是？",
        "减速慢行\n避开积水路段\n闯红灯抢时间\n及时向站点报告路况",
        "ABD",
        "安全第一，订单超时可以申诉，生命只有一次。",
    ),
];

/// Adds the demo's question bank (党史, 党章, 安全) to a deployment.
pub async fn seed_demo_questions(store: &Store, tenant: Uuid, act: &Act) -> Result<(), StoreError> {
    for (kind, tag, text, choices, correct, explanation) in QUESTIONS {
        let q = QuestionInput {
            kind: (*kind).into(),
            tag: (*tag).into(),
            text: (*text).into(),
            choices: (*choices).into(),
            correct: (*correct).into(),
            explanation: (*explanation).into(),
        };
        store.add_question(tenant, None, &q, act).await?;
    }
    Ok(())
}

/// Seeds the demo's study content, this week's quiz and two branch meetings.
pub async fn seed_demo_study(
    store: &Store,
    tenant: Uuid,
    branch: Uuid,
    members: &[Uuid],
    now: jiff::Timestamp,
    today: Date,
    act: &Act,
) -> Result<(), StoreError> {
    seed_demo_questions(store, tenant, act).await?;
    let monday = today
        .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
        .unwrap_or(today);
    let opens = monday
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8)))
        .map_err(|_| StoreError::Corrupt("demo date"))?;
    let opens_at = opens.timestamp().as_millisecond().min(now.as_millisecond());
    let quiz = NewQuiz {
        title: format!("{}当周 党史每周小测试", monday.strftime("%Y年%m月%d日")),
        plan: vec![("党史".into(), 2), ("党章".into(), 2), ("安全".into(), 1)],
        // Sunday 22:00, or three days on when the demo starts later than that.
        window: QuizWindow {
            opens_at,
            closes_at: (opens_at + 7 * 86_400_000 - 2 * 3_600_000).max(now.as_millisecond() + 3 * 86_400_000),
            time_limit_s: 600,
            attempts: 2,
        },
    };
    store.publish_quiz(tenant, &quiz, act).await?;
    let courses = [
        (
            "党史随手学",
            "百年党史",
            "遵义会议：伟大的转折",
            "1935年1月，中共中央在贵州遵义召开政治局扩大会议。\n---\n会议集中解决了当时具有决定意义的军事和组织问题，在最危急的关头挽救了党、挽救了红军、挽救了中国革命。\n---\n遵义会议是党的历史上一个生死攸关的转折点。",
        ),
        (
            "安全课堂",
            "骑行安全",
            "雨天送单五个要点",
            "减速慢行，刹车提前。\n---\n避开积水和井盖。\n---\n戴好头盔，穿好反光雨衣。\n---\n路况危险及时向站点报告，订单超时可以申诉。\n---\n到店、到楼下先停稳再看手机。",
        ),
    ];
    for (series, column, title, items) in courses {
        let c = CourseFields::parse(&CourseInput {
            series: series.into(),
            column: column.into(),
            title: title.into(),
            items: items.into(),
        })?;
        let id = store.publish_course(tenant, &c, today, act).await?;
        // Two members of the branch (not the demo rider, the first) shared what they took
        // from the history lesson: one approved by the secretary, one waiting.
        if series == "党史随手学" {
            let course = store.course(id).await?;
            let path = store.org(branch).await?.path;
            let thoughts = [
                "遵义会议告诉我，越是危急关头越要实事求是。跑单遇到难题，我也要先把情况弄清楚再想办法。",
                "读完这一课，我想起站点党员骑手带新人的样子。转折点靠的是坚定的人，我也要做那样的人。",
            ];
            for (i, (member, thought)) in members.iter().skip(1).rev().zip(thoughts).enumerate() {
                let r = store.write_reflection(&course, *member, &path, thought, act).await?;
                if i == 0 {
                    store.decide_reflection(r, None, act).await?;
                }
            }
        }
    }
    let meetings = [
        (
            MeetingKind::BranchGeneralMeeting,
            40,
            "学习贯彻党的二十届四中全会精神",
            Some("习近平总书记关于新就业群体工作的重要论述"),
        ),
        (MeetingKind::ThemeDay, 10, "主题党日：暖蜂驿站志愿服务", None),
    ];
    for (kind, days_ago, topic, first_topic) in meetings {
        let held_on = today.checked_sub(jiff::Span::new().days(days_ago)).unwrap_or(today);
        let m = MeetingFields {
            kind,
            held_on,
            topic: topic.into(),
            first_topic: first_topic.map(str::to_owned),
            speaker: Some("支部书记".into()),
            minutes: "会议按议程进行，到会党员围绕议题交流发言。".into(),
        };
        let marks: Vec<(Uuid, Attendance)> = members
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (*p, [Attendance::Present, Attendance::Online, Attendance::Present, Attendance::Leave][i % 4])
            })
            .collect();
        store.record_meeting(branch, &m, &marks, act).await?;
    }
    Ok(())
}
