namespace P2POrleans.Client.Bench;

/// <summary>
/// How a `p2p bench --kelips-build joined` overlay came to be (docs/bench.md, Kelips built by its join
/// and gossip): every peer joined one after another through Kelips' join (section 2: the bootstrap's
/// state transfer), the bench's files were inserted, then gossip rounds (<see cref="ParallelTicks"/>
/// peers ticked at once) ran until every view held its whole group, every peer had a live contact in
/// every foreign group and every filetuple had reached its group. Past <see cref="MaxRounds"/> the
/// bench refuses to measure.
/// </summary>
/// <param name="JoinSeconds">Wall time of the joins.</param>
/// <param name="JoinsPerSecond">Peers joined per second of it.</param>
/// <param name="Rounds">Gossip rounds run after the joins and the inserts.</param>
/// <param name="GossipSeconds">Wall time of those rounds and the checks between them.</param>
/// <param name="ParallelTicks">Peers ticked at once within a round.</param>
/// <param name="MaxRounds">The bound on the rounds.</param>
/// <param name="ContactTimeoutRounds">The contact timeout the overlay ran with (grown with k and c, docs/kelips.md "Timeouts").</param>
/// <param name="ContactCoverage">Share of (peer, foreign group) pairs with a live contact at the end.</param>
/// <param name="FileTupleCoverage">Mean share of its group's live files each peer holds a filetuple of, at the end.</param>
public sealed record BenchGossip(
    double JoinSeconds,
    double JoinsPerSecond,
    int Rounds,
    double GossipSeconds,
    int ParallelTicks,
    int MaxRounds,
    long ContactTimeoutRounds,
    double ContactCoverage,
    double FileTupleCoverage);
