namespace P2POrleans.Client.Bench;

/// <summary>
/// How a `p2p bench --chord-build joined` ring came to be (docs/bench.md, the join protocol at scale):
/// every peer joined one after another through Chord's join (figure 6 and section 4.4), then
/// stabilization rounds (figure 7, <see cref="ParallelTicks"/> peers ticked at once) until every
/// pointer matched the ideal ring of the members, or <see cref="MaxRounds"/> passed.
/// </summary>
/// <param name="JoinSeconds">Wall time of the joins.</param>
/// <param name="JoinsPerSecond">Peers joined per second of it.</param>
/// <param name="Rounds">Stabilization rounds run after the joins.</param>
/// <param name="StabilizationSeconds">Wall time of those rounds (the checks between them excluded).</param>
/// <param name="ParallelTicks">Peers ticked at once within a round.</param>
/// <param name="MaxRounds">The bound on the rounds.</param>
/// <param name="Correct">Whether every successor, successor list, predecessor and finger matched at the end.</param>
/// <param name="SuccessorsCorrect">Fraction of correct successors at the end.</param>
/// <param name="SuccessorListsCorrect">Fraction of correct successor lists at the end.</param>
/// <param name="PredecessorsCorrect">Fraction of correct predecessors at the end.</param>
/// <param name="FingersCorrect">Fraction of correct fingers at the end.</param>
/// <param name="SuccessorsCorrectAfterJoins">Fraction of correct successors right after the joins, before any round.</param>
/// <param name="FingersCorrectAfterJoins">Fraction of correct fingers right after the joins, before any round.</param>
public sealed record BenchJoin(
    double JoinSeconds,
    double JoinsPerSecond,
    int Rounds,
    double StabilizationSeconds,
    int ParallelTicks,
    int MaxRounds,
    bool Correct,
    double SuccessorsCorrect,
    double SuccessorListsCorrect,
    double PredecessorsCorrect,
    double FingersCorrect,
    double SuccessorsCorrectAfterJoins,
    double FingersCorrectAfterJoins);
