//! What moves when a shard group gains or loses a shard: the share of keys that change
//! shards under each strategy (see MODEL.md, "Shards and resharding").

use super::station::shard_shares;
use serde::Serialize;

/// The share of keys that move for one more and for one fewer shard.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Resharding {
    /// Going from N to N + 1 shards.
    pub add_one: f64,
    /// Going from N to N − 1 shards (`None` for a single shard).
    pub remove_one: Option<f64>,
}

/// Share of keys whose shard differs between `from` and `to` shards.
///
/// - `hash` (hash modulo the count): a key stays only when h mod N = h mod M; the residues
///   of a uniform hash over one period, lcm(N, M), are counted exactly (for neighbours N
///   and N + 1 only N of every N(N + 1) stay, so N/(N + 1) of the keys move).
/// - `range` (even cuts of the key space): a key at quantile x stays when ⌊xN⌋ = ⌊xM⌋;
///   the overlap of the two cuttings.
/// - `consistent`: only the keys on the arcs the added shard's points take (or the
///   removed shard's points held) move; read off the same ring the shard shares come from.
pub fn moved(from: usize, to: usize, strategy: &str, virtual_nodes: usize) -> f64 {
    if from == to || from == 0 || to == 0 {
        return 0.0;
    }
    match strategy {
        "consistent" => {
            // The ring for the larger count holds the smaller one's points plus those of
            // the extra shard; what that shard owns is what changes hands.
            let big = from.max(to);
            shard_shares(big, "consistent", virtual_nodes, 0.0)[big - 1]
        }
        "range" => {
            let (n, m) = (from as f64, to as f64);
            // Shard i covers [i/n, (i+1)/n) before and [i/m, (i+1)/m) after.
            let stay: f64 = (0..from.min(to))
                .map(|i| {
                    let i = i as f64;
                    ((i + 1.0) / n).min((i + 1.0) / m) - (i / n).max(i / m)
                })
                .map(|overlap| overlap.max(0.0))
                .sum();
            1.0 - stay
        }
        _ => {
            // Residues of h modulo lcm(N, M) are equally likely; count those that stay.
            let lcm = from / gcd(from, to) * to;
            if lcm <= 1 << 22 {
                let stay = (0..lcm).filter(|h| h % from == h % to).count();
                1.0 - stay as f64 / lcm as f64
            } else {
                // Coprime neighbours (N, N ± 1): the residues below min(N, M) stay.
                1.0 - from.min(to) as f64 / lcm as f64
            }
        }
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The resharding figures of a group of `shards` shards.
pub fn of(shards: usize, strategy: &str, virtual_nodes: usize) -> Resharding {
    Resharding {
        add_one: moved(shards, shards + 1, strategy, virtual_nodes),
        remove_one: (shards > 1).then(|| moved(shards, shards - 1, strategy, virtual_nodes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulo_hashing_moves_almost_everything_and_consistent_hashing_one_share() {
        for n in [2usize, 4, 10, 63] {
            let n1 = n as f64 + 1.0;
            // Modulo: exactly N/(N+1) of the keys move (only h mod N(N+1) < N stays).
            assert!(
                (moved(n, n + 1, "hash", 0) - n as f64 / n1).abs() < 1e-12,
                "{n}"
            );
            // Consistent hashing with many points: about 1/(N+1), within 25 % of it.
            let c = moved(n, n + 1, "consistent", 500);
            assert!((c * n1 - 1.0).abs() < 0.25, "{n}: {c}");
        }
        // Even range cuts from 4 to 5: shard i keeps [i/4, (i+1)/4) ∩ [i/5, (i+1)/5).
        let stay = 0.2 + (0.4 - 0.25) + (0.6 - 0.5) + (0.8 - 0.75);
        assert!((moved(4, 5, "range", 0) - (1.0 - stay)).abs() < 1e-12);
        let r = of(1, "hash", 0);
        assert_eq!(r.remove_one, None);
        assert!((r.add_one - 0.5).abs() < 1e-12);
    }
}
