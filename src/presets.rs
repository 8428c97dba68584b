//! Ready-made scenarios: the starter design, and the journey "from one server to millions of
//! users" in the order the source texts walk it, each stage at its own traffic milestone.
//!
//! Traffic comes from user counts (300 requests per user per day, peak hour 3 × the daily
//! average; 70 % reads, 20 % writes, 10 % static files), so "Day 1 / 30 / 60 / 90" of the
//! million-users text are 100, 10 000, 100 000 and 1 000 000 daily users. Prices are the
//! text's example bill. What each lesson claims is checked by `tests/journey.rs`.

use crate::model::{Class, Component, Kind, Link, Location, Scenario, Traffic, Users, VERSION};

/// A blank design: no components yet, and the traffic a new design starts from (100 req/s,
/// 80 % reads, 20 % writes).
pub fn blank() -> Scenario {
    Scenario::new("New design", Traffic::rps(100.0, 0.8, 0.2, 0.0))
}

/// The scenario a new visitor sees: users → load balancer → two app servers → database.
pub fn starter() -> Scenario {
    let mut s = Scenario::new("Load-balanced web app", Traffic::rps(200.0, 0.8, 0.2, 0.0));
    s.components = vec![
        Component::new("users", Kind::Client, "Users", 100.0, 220.0),
        Component::new("lb", Kind::LoadBalancer, "Load balancer", 320.0, 220.0),
        Component::new("app-1", Kind::AppServer, "App server 1", 540.0, 140.0),
        Component::new("app-2", Kind::AppServer, "App server 2", 540.0, 300.0),
        Component::new("db", Kind::Database, "Database", 760.0, 220.0),
    ];
    s.links = vec![
        Link::new("users", "lb"),
        Link::new("lb", "app-1"),
        Link::new("lb", "app-2"),
        Link::new("app-1", "db"),
        Link::new("app-2", "db"),
    ];
    s
}

/// One stage of the journey.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    /// Stable key, for links and tests.
    pub key: &'static str,
    /// Short title.
    pub title: &'static str,
    /// Daily active users at this stage's milestone.
    pub users: f64,
    /// What changed, why, and what the numbers say (checked by the journey tests).
    pub lesson: &'static str,
    /// Builds the stage's design.
    pub build: fn() -> Scenario,
}

/// Requests per user per day used by the journey.
pub const REQUESTS_PER_USER_PER_DAY: f64 = 300.0;
/// Peak-hour factor used by the journey.
pub const PEAK_FACTOR: f64 = 3.0;

/// Journey traffic for `users` daily active users.
pub fn users_traffic(users: f64) -> Traffic {
    Traffic {
        rps: None,
        users_concurrent: None,
        think_time_s: None,
        users: Some(Users {
            daily_active: users,
            requests_per_user_per_day: REQUESTS_PER_USER_PER_DAY,
            peak_factor: PEAK_FACTOR,
        }),
        read: 0.7,
        write: 0.2,
        static_share: 0.1,
        keys: None,
        zipf_s: None,
        object_kb: None,
    }
}

fn node(id: &str, kind: Kind, label: &str, x: f64, y: f64) -> Component {
    Component::new(id, kind, label, x, y)
}

/// The web tier: `instances` servers of 8 threads at 40 ms (200 req/s each).
fn web(instances: f64, x: f64, y: f64) -> Component {
    node("web", Kind::AppServer, "Web servers", x, y)
        .with("instances", instances)
        .with("service_time_ms", 40.0)
}

/// A managed DNS service: answered from many anycast servers, so redundant.
fn dns(x: f64, y: f64) -> Component {
    node("dns", Kind::Dns, "DNS", x, y).with("instances", 4.0)
}

/// A database of 16 connections at 8 ms (2 000 queries/s).
fn database(id: &str, kind: Kind, label: &str, x: f64, y: f64) -> Component {
    node(id, kind, label, x, y).with("service_time_ms", 8.0)
}

fn design(name: &str, users: f64, components: Vec<Component>, links: Vec<Link>) -> Scenario {
    Scenario {
        version: VERSION,
        name: name.to_owned(),
        traffic: users_traffic(users),
        components,
        links,
        prices: Default::default(),
        failed: Default::default(),
        simulation: None,
        geography: None,
    }
}

const R: Class = Class::Read;
const W: Class = Class::Write;
const S: Class = Class::Static;

fn single_server() -> Scenario {
    design(
        "1 · Single server",
        100.0,
        vec![
            node("users", Kind::Client, "Users", 80.0, 200.0),
            dns(280.0, 200.0),
            // One machine does everything: pages, queries, files (50 ms a request).
            node("web", Kind::AppServer, "Single server", 480.0, 200.0)
                .with("service_time_ms", 50.0),
        ],
        vec![Link::new("users", "dns"), Link::new("dns", "web")],
    )
}

fn separate_database() -> Scenario {
    design(
        "2 · Separate database",
        10_000.0,
        vec![
            node("users", Kind::Client, "Users", 80.0, 200.0),
            dns(280.0, 200.0),
            web(1.0, 480.0, 200.0),
            database("db", Kind::Database, "Database", 700.0, 200.0),
        ],
        vec![
            Link::new("users", "dns"),
            Link::new("dns", "web"),
            Link::new("web", "db").only(&[R, W]),
        ],
    )
}

fn with_balancer(name: &str, users: f64, web_instances: f64) -> Scenario {
    let components = vec![
        node("users", Kind::Client, "Users", 80.0, 200.0),
        dns(260.0, 200.0),
        node("lb", Kind::LoadBalancer, "Load balancer", 440.0, 200.0),
        web(web_instances, 640.0, 200.0),
    ];
    let links = vec![
        Link::new("users", "dns"),
        Link::new("dns", "lb"),
        Link::new("lb", "web"),
    ];
    design(name, users, components, links)
}

fn load_balancer() -> Scenario {
    let mut s = with_balancer("3 · Load balancer", 100_000.0, 8.0);
    let (c, l) = (&mut s.components, &mut s.links);
    c.push(database("db", Kind::Database, "Database", 860.0, 200.0));
    l.push(Link::new("web", "db").only(&[R, W]));
    s
}

fn replicated(name: &str, users: f64, web_instances: f64) -> Scenario {
    let mut s = with_balancer(name, users, web_instances);
    let (c, l) = (&mut s.components, &mut s.links);
    // Applying a replicated row costs about half of running the write itself.
    c.push(
        database("db", Kind::Database, "Primary", 860.0, 140.0)
            .with("failover_s", 30.0)
            .with("replication_cost", 0.5),
    );
    c.push(database(
        "replica-1",
        Kind::ReadReplica,
        "Replica 1",
        1060.0,
        200.0,
    ));
    c.push(database(
        "replica-2",
        Kind::ReadReplica,
        "Replica 2",
        1060.0,
        300.0,
    ));
    // Replication: every write is applied on both replicas. The links carry no class of
    // their own (the primary routes none here): "read" on them read as reads flowing.
    l.push(Link::new("db", "replica-1"));
    l.push(Link::new("db", "replica-2"));
    l.push(Link::new("web", "db").only(&[W]));
    s
}

fn replication() -> Scenario {
    let mut s = replicated("4 · Database replication", 200_000.0, 16.0);
    let l = &mut s.links;
    // The application splits reads (to the replicas) from writes (to the primary).
    l.push(Link::new("web", "replica-1").only(&[R]));
    l.push(Link::new("web", "replica-2").only(&[R]));
    s
}

/// Replication plus a cache-aside cache for reads (hit ratio 80 %).
fn cached(name: &str, users: f64, web_instances: f64) -> Scenario {
    let mut s = replicated(name, users, web_instances);
    let (c, l) = (&mut s.components, &mut s.links);
    c.push(
        node("cache", Kind::Cache, "Cache", 860.0, 300.0)
            .with("instances", 2.0)
            .with("service_time_ms", 0.2),
    );
    l.push(Link::new("web", "cache").only(&[R]));
    l.push(Link::new("cache", "replica-1"));
    l.push(Link::new("cache", "replica-2"));
    s
}

fn cache() -> Scenario {
    cached("5 · Cache", 300_000.0, 24.0)
}

/// Static files served by a CDN in front of object storage.
fn with_cdn(c: &mut Vec<Component>, l: &mut Vec<Link>) {
    c.push(node("cdn", Kind::Cdn, "CDN", 260.0, 60.0).with("hit_ratio", 0.95));
    c.push(
        node("files", Kind::ObjectStorage, "Object storage", 440.0, 60.0).with("instances", 3.0),
    );
    l.retain(|x| !(x.from == "users" && x.to == "dns"));
    l.push(Link::new("users", "dns").only(&[R, W]));
    l.push(Link::new("users", "cdn").only(&[S]));
    l.push(Link::new("cdn", "files"));
}

fn cdn() -> Scenario {
    let mut s = cached("6 · CDN", 400_000.0, 24.0);
    let (c, l) = (&mut s.components, &mut s.links);
    with_cdn(c, l);
    s
}

/// A stateless web tier: sessions in a shared store, least-connections balancing.
fn stateless_tier(name: &str, users: f64, web_instances: f64) -> Scenario {
    let mut s = cached(name, users, web_instances);
    let (c, l) = (&mut s.components, &mut s.links);
    with_cdn(c, l);
    for x in c.iter_mut().filter(|x| x.id == "lb") {
        *x = x.clone().with_choice("algorithm", "least_connections");
    }
    c.push(
        node(
            "sessions",
            Kind::SessionStore,
            "Session store",
            640.0,
            340.0,
        )
        .with("instances", 2.0)
        .with("service_time_ms", 0.3),
    );
    l.push(Link::new("web", "sessions").calling(1.0));
    s
}

fn stateless() -> Scenario {
    stateless_tier("7 · Stateless web tier", 500_000.0, 32.0)
}

/// Stage 8's two data centres: the suffix of their components' ids, and where they are.
const SITES: [(&str, Location); 2] = [("1", Location::Seoul), ("2", Location::Virginia)];

fn data_centres() -> Scenario {
    let mut s = stateless_tier("8 · Data centres on two continents", 700_000.0, 24.0);
    let (c, l) = (&mut s.components, &mut s.links);
    // Half the users are in Seoul, half in North America. GeoDNS sends each half to the
    // nearest region; each region has its own balancer, web tier, cache and session
    // store, sized to carry every user alone. The primary stays in Seoul: reads are served
    // at home from each region's replicas, writes cross to the primary.
    let local = ["dns", "lb", "web", "cache", "sessions"];
    c.retain(|x| !local.contains(&x.id.as_str()));
    l.retain(|x| !local.contains(&x.from.as_str()) && !local.contains(&x.to.as_str()));
    for x in c.iter_mut() {
        match x.id.as_str() {
            "users" => {
                *x = x.clone().with_choice("location", "seoul");
                x.label = "Users in Seoul".into();
            }
            "db" | "files" => *x = x.clone().with_choice("location", "seoul"),
            _ => {}
        }
    }
    c.push(
        node("users-us", Kind::Client, "Users in N. Virginia", 0.0, 0.0)
            .with_choice("location", "virginia"),
    );
    c.push(
        node("dns", Kind::Dns, "GeoDNS", 0.0, 0.0)
            .with("instances", 4.0)
            .with_choice("routing", "latency"),
    );
    l.push(Link::new("users-us", "cdn").only(&[S]));
    for users in ["users", "users-us"] {
        l.push(Link::new(users, "dns").only(&[R, W]));
    }
    for (n, place) in SITES {
        let (id, region) = (|p: &str| format!("{p}-{n}"), place.name());
        c.push(
            node(&id("region"), Kind::Region, region, 0.0, 0.0)
                .with_choice("location", place.key()),
        );
        c.push(
            node(
                &id("lb"),
                Kind::LoadBalancer,
                &format!("LB {region}"),
                0.0,
                0.0,
            )
            .with_choice("algorithm", "least_connections")
            .with("instances", 2.0),
        );
        let mut w = web(40.0, 0.0, 0.0);
        (w.id, w.label) = (id("web"), format!("Web {region}"));
        c.push(w);
        c.push(
            node(
                &id("cache"),
                Kind::Cache,
                &format!("Cache {region}"),
                0.0,
                0.0,
            )
            .with("instances", 2.0)
            .with("service_time_ms", 0.2),
        );
        c.push(
            node(
                &id("sessions"),
                Kind::SessionStore,
                &format!("Sessions {region}"),
                0.0,
                0.0,
            )
            .with("instances", 2.0)
            .with("service_time_ms", 0.3),
        );
        l.push(Link::new("dns", id("region")));
        l.push(Link::new(id("region"), id("lb")));
        l.push(Link::new(id("lb"), id("web")));
        l.push(Link::new(id("web"), id("cache")).only(&[R]));
        l.push(Link::new(id("web"), "db").only(&[W]));
        l.push(Link::new(id("web"), id("sessions")).calling(1.0));
    }
    // Seoul keeps the two replicas it had; North America gets two of its own.
    for n in ["3", "4"] {
        let id = format!("replica-{n}");
        c.push(
            database(&id, Kind::ReadReplica, &format!("Replica {n}"), 0.0, 0.0)
                .with_choice("location", "virginia"),
        );
        l.push(Link::new("db", id.clone()));
        l.push(Link::new("cache-2", id));
    }
    for n in ["1", "2"] {
        l.push(Link::new("cache-1", format!("replica-{n}")));
    }
    place(
        c,
        &[
            // Columns 220 apart leave 72 between boxes for the links' labels. The
            // primary stands above the caches: the web servers' writes then stay in the
            // gap before them instead of passing behind them.
            ("users", 80.0, 160.0),
            ("users-us", 80.0, 380.0),
            ("dns", 300.0, 270.0),
            ("cdn", 300.0, 40.0),
            ("files", 520.0, 40.0),
            ("region-1", 520.0, 160.0),
            ("region-2", 520.0, 380.0),
            ("lb-1", 740.0, 160.0),
            ("lb-2", 740.0, 380.0),
            ("web-1", 960.0, 160.0),
            ("web-2", 960.0, 380.0),
            ("db", 1180.0, 40.0),
            ("cache-1", 1180.0, 120.0),
            ("sessions-1", 1180.0, 200.0),
            ("cache-2", 1180.0, 340.0),
            ("sessions-2", 1180.0, 420.0),
            ("replica-1", 1400.0, 120.0),
            ("replica-2", 1400.0, 200.0),
            ("replica-3", 1400.0, 340.0),
            ("replica-4", 1400.0, 420.0),
        ],
    );
    s
}

/// Moves the named components to new positions.
fn place(c: &mut [Component], at: &[(&str, f64, f64)]) {
    for x in c.iter_mut() {
        if let Some(&(_, px, py)) = at.iter().find(|(id, _, _)| *id == x.id) {
            (x.x, x.y) = (px, py);
        }
    }
}

fn message_queue() -> Scenario {
    let mut s = data_centres();
    s.name = "9 · Message queue".into();
    s.traffic = users_traffic(800_000.0);
    // Slow work after a write (emails, thumbnails: 200 ms) moves to workers beside the
    // primary in Seoul, through a queue in each region: a web server enqueues at home,
    // not across the Pacific, and the messages reach the workers without anyone waiting.
    s.components.push(
        node("workers", Kind::Worker, "Workers", 1840.0, 270.0)
            .with("instances", 8.0)
            .with("concurrency", 64.0)
            .with("service_time_ms", 200.0)
            .with_choice("location", "seoul"),
    );
    for ((n, place), y) in SITES.into_iter().zip([160.0, 380.0]) {
        let id = format!("queue-{n}");
        s.components.push(
            node(
                &id,
                Kind::Queue,
                &format!("Queue {}", place.name()),
                1620.0,
                y,
            )
            .with("instances", 2.0)
            .with_choice("location", place.key()),
        );
        s.links.push(
            Link::new(format!("web-{n}"), id.clone())
                .only(&[W])
                .calling(1.0),
        );
        s.links.push(Link::new(id, "workers"));
    }
    s
}

fn sharded(name: &str, hot_key: f64) -> Scenario {
    let mut s = message_queue();
    s.name = name.into();
    s.traffic = users_traffic(1_000_000.0);
    // Writes are split over 4 shards by consistent hashing (100 virtual nodes per shard),
    // each shard 3 instances of 4 connections (1 500 writes/s).
    for c in s.components.iter_mut().filter(|c| c.id == "db") {
        *c = database("db", Kind::ShardGroup, "Shards", c.x, c.y)
            .with_choice("location", c.choice("location"))
            .with("shards", 4.0)
            .with_choice("strategy", "consistent")
            .with("hot_key_share", hot_key)
            .with("instances", 3.0)
            .with("concurrency", 4.0)
            .with("replication_cost", c.num("replication_cost"));
    }
    // The read replicas now copy the shards: each holds every shard, as each shard's own
    // replicas would together, and applies every write (MODEL.md §5).
    // Each region grows so that either can still carry every user alone at Day 90.
    for c in s
        .components
        .iter_mut()
        .filter(|c| c.kind == Kind::AppServer)
    {
        c.params
            .insert("instances".into(), crate::model::ParamValue::Number(56.0));
    }
    s
}

fn sharding() -> Scenario {
    sharded("10 · Sharding", 0.0)
}

fn observability() -> Scenario {
    let mut s = sharded("11 · Monitoring and automation", 0.0);
    s.components.push(node(
        "monitoring",
        Kind::Monitoring,
        "Monitoring",
        1620.0,
        40.0,
    ));
    s
}

/// The journey, in order.
pub fn journey() -> [Stage; 11] {
    [
        Stage {
            key: "single-server",
            title: "Single server",
            users: 100.0,
            lesson: "Everything runs on one machine: web pages, queries and files. On Day 1 \
                     (100 users) it has capacity to spare, but it is a single point of \
                     failure, and at Day 30's traffic (10 000 users) it would already be busy \
                     two thirds of the time.",
            build: single_server,
        },
        Stage {
            key: "separate-database",
            title: "Separate database",
            users: 10_000.0,
            lesson: "The database moves to its own machine, so the web server only renders \
                     pages (40 ms a request instead of 50, the queries now run elsewhere) and \
                     the two can grow apart. At Day 30 (10 000 users) the web server is the \
                     bottleneck; both it and the database are still single points of \
                     failure.",
            build: separate_database,
        },
        Stage {
            key: "load-balancer",
            title: "Load balancer",
            users: 100_000.0,
            lesson: "At Day 60 (100 000 users) one web server would be swamped, so a load \
                     balancer spreads the traffic over a pool of 8. Losing one of them no \
                     longer drops requests; the balancer and the database are now what can \
                     take everything down.",
            build: load_balancer,
        },
        Stage {
            key: "replication",
            title: "Database replication",
            users: 200_000.0,
            lesson: "Reads go to two read replicas and only writes reach the primary, which \
                     can fail over to a replica in 30 s (a replica applies each write at 0.5 \
                     of its cost). The primary stops being a single point of failure and its \
                     load falls to the writes. The web pool also grows from 8 to 16 servers \
                     for the extra users: that, not replication, is what removes the web \
                     tier's drops in the comparison.",
            build: replication,
        },
        Stage {
            key: "cache",
            title: "Cache",
            users: 300_000.0,
            lesson: "A cache answers 80 % of reads from memory, so only the misses reach the \
                     replicas: at this traffic their load falls to less than half of what it \
                     would be without the cache, and reads get faster. The web pool also \
                     grows from 16 to 24 servers for the extra users: 16 would be nearly full \
                     at this traffic, so most of the fall in latency against the previous \
                     stage is the larger pool, not the cache.",
            build: cache,
        },
        Stage {
            key: "cdn",
            title: "CDN",
            users: 400_000.0,
            lesson: "Static files go to a CDN near the users, backed by object storage; the \
                     web servers only see dynamic requests, and the files never touch them.",
            build: cdn,
        },
        Stage {
            key: "stateless",
            title: "Stateless web tier",
            users: 500_000.0,
            lesson: "Sessions move out of the web servers into a shared session store, so any \
                     server can take any request and the pool can grow or shrink freely; the \
                     balancer now picks the least busy server (least connections), and the \
                     pool grows from 24 to 32 servers for the extra users. At this traffic \
                     the previous stage's 24 servers, each with a queue of its own, would be \
                     nearly full: either change alone, least connections or the larger pool, \
                     removes most of that wait.",
            build: stateless,
        },
        Stage {
            key: "data-centres",
            title: "Data centres on two continents",
            users: 700_000.0,
            lesson: "Half the users are now in Seoul and half in N. Virginia. GeoDNS routes by \
                     latency: each half reaches the region nearest to it, which has its own \
                     balancer, web servers, cache, session store and two read replicas, and \
                     can carry every user alone. Reads are answered on the users' own \
                     continent; the primary (with the static files' origin) stays in Seoul, so \
                     a write from America crosses the Pacific and back, 177 ms. If a region \
                     fails its users go to the other one and pay that distance on every \
                     request: the table of users by location shows it.",
            build: data_centres,
        },
        Stage {
            key: "message-queue",
            title: "Message queue",
            users: 800_000.0,
            lesson: "Slow work after a write (emails, thumbnails: 200 ms) goes to a message \
                     queue in each region; the web servers return as soon as the message is \
                     stored at home, and workers beside the primary in Seoul catch up on their \
                     own. A write pays about a millisecond to hand its slow work over instead of \
                     waiting 200 ms for it, so next to the stage before (which had no such \
                     work) the mean response time rises by less than a millisecond: the \
                     queues cost money, not time.",
            build: message_queue,
        },
        Stage {
            key: "sharding",
            title: "Sharding",
            users: 1_000_000.0,
            lesson: "At Day 90 (1 000 000 users) one primary cannot take every write, so the data \
                     is split over 4 shards by consistent hashing, each of 3 instances with 4 \
                     connections. Each shard takes about a quarter of the writes (the read \
                     replicas still copy them all, a set of every shard's replicas), and each \
                     region grows to 56 web servers so that either can still carry every user \
                     alone. Sharding has its own failure: set the shards' hot-key share to 0.67 \
                     (one celebrity's writes): the shard holding that key receives those two \
                     thirds of all writes and its share of the rest, about three quarters, and \
                     saturates again.",
            build: sharding,
        },
        Stage {
            key: "monitoring",
            title: "Monitoring and automation",
            users: 1_000_000.0,
            lesson: "With this many moving parts, logging, metrics and alerts are how anyone \
                     notices the next bottleneck before users do; they add $30 a month and \
                     nothing to the request path.",
            build: observability,
        },
    ]
}

/// The journey stage with this key.
pub fn stage(key: &str) -> Option<Stage> {
    let stages = journey();
    stage_index(key).ok().map(|i| stages[i])
}

/// Where a stage is in the journey, by its key (`cache`) or its number as the Journey menu
/// shows it (`5`, from 1); the message for anything else lists the keys.
pub fn stage_index(key: &str) -> Result<usize, String> {
    let stages = journey();
    let by_number = key
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=stages.len()).contains(n))
        .map(|n| n - 1);
    by_number
        .or_else(|| stages.iter().position(|st| st.key == key))
        .ok_or_else(|| {
            let keys: Vec<&str> = stages.iter().map(|st| st.key).collect();
            format!(
                "There is no journey stage \"{}\": a stage is named by its number, 1 to {}, or \
                 its key: {}.",
                crate::model::quote(key),
                stages.len(),
                keys.join(", ")
            )
        })
}

/// The sharded design with a hot key taking `share` of the requests.
pub fn hot_key(share: f64) -> Scenario {
    sharded("10b · Sharding with a hot key", share)
}

/// The scenario files under `examples/`, compiled in so the File menu can open them: key,
/// title, and the file's text (the same files `tests/examples.rs` runs).
pub const EXAMPLES: [(&str, &str, &str); 9] = [
    (
        "autoscaling-spike",
        "A spike absorbed by autoscaling, after a backlog",
        include_str!("../examples/autoscaling-spike.json"),
    ),
    (
        "rate-limited-api",
        "A rate-limited API",
        include_str!("../examples/rate-limited-api.json"),
    ),
    (
        "dependency-outage-breaker",
        "A database outage contained by a circuit breaker",
        include_str!("../examples/dependency-outage-breaker.json"),
    ),
    (
        "cache-sizing",
        "Sizing a cache on a Zipf workload",
        include_str!("../examples/cache-sizing.json"),
    ),
    (
        "cache-stampede",
        "A lost cache and the stampede",
        include_str!("../examples/cache-stampede.json"),
    ),
    (
        "replica-lag",
        "Read replicas and their lag",
        include_str!("../examples/replica-lag.json"),
    ),
    (
        "resharding",
        "Adding a shard: modulo against consistent hashing",
        include_str!("../examples/resharding.json"),
    ),
    (
        "closed-population",
        "Concurrent users with think time (closed loop)",
        include_str!("../examples/closed-population.json"),
    ),
    (
        "three-continents",
        "Users on three continents, two regions (GeoDNS by latency)",
        include_str!("../examples/three-continents.json"),
    ),
];

/// The example called `key`, read as any file is.
///
/// # Errors
/// What is wrong with the file (never, for the files shipped: a test opens each).
pub fn example(key: &str) -> Option<Result<Scenario, crate::codec::DecodeError>> {
    EXAMPLES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, text)| crate::codec::from_json(text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn starter_solves() {
        let r = crate::solve::analyze(&super::starter()).unwrap();
        assert!((r.components["app-1"].arrival_rps - 100.0).abs() < 1e-9);
        assert!(r.latency_ms.p99.is_some());
    }

    /// A stage link names its stage by key or by the number the Journey menu shows.
    #[test]
    fn stages_are_found_by_key_or_number() {
        assert_eq!(super::stage_index("single-server"), Ok(0));
        assert_eq!(super::stage_index("1"), Ok(0));
        assert_eq!(super::stage_index("cache"), super::stage_index("5"));
        assert_eq!(super::stage_index("11"), Ok(10));
        for wrong in ["0", "12", "nope", ""] {
            let said = super::stage_index(wrong).unwrap_err();
            assert!(
                said.contains("1 to 11") && said.contains("monitoring"),
                "{said}"
            );
        }
    }

    #[test]
    fn every_stage_is_valid() {
        for stage in super::journey() {
            let s = (stage.build)();
            if let Err(e) = s.validate() {
                panic!("{}: {e}", stage.key);
            }
        }
    }
}
