using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Chord ToN figure 11: lookups after a fraction p of the peers fails at once, then the ring stabilizes.</summary>
public sealed class ChordFailuresExperiment : IExperiment
{
    public string Name => "chord-failures";

    public string Description => "Fraction of failed lookups after a fraction p of the peers fails at once and the survivors stabilize (no replication).";

    public string Paper => "Stoica et al. (ToN 2003, section V.E, figure 11): with 10^4 nodes, the fraction of failed lookups is about p — exactly the keys whose node died, since keys are not replicated — and no lookup fails for routing reasons.";

    public async Task<ExperimentResult> RunAsync(ExperimentContext context)
    {
        var n = context.Pick(64, 1_000, 10_000);
        var keys = context.Pick(300, 5_000, 20_000);
        var rounds = context.Pick(6, 10, 10);
        double[] fractions = context.Scale == ExperimentScale.Tiny ? [0.1, 0.3, 0.5] : [0.05, 0.1, 0.2, 0.3, 0.4, 0.5];
        var table = new ExperimentTable("n", "p", "keys", "keys_lost", "lookups_failed_routing", "wrong_owner", "failed_fraction", "mean_hops", "keys_only_on_failed", "failed_keyspace");
        var step = 0;
        foreach (var p in fractions)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Progress((double)step++ / fractions.Length, $"p = {p:F2}");
            var parameters = context.Parameters(new ChordParameters { Replicas = 1, Successors = 2 * (int)Math.Ceiling(Math.Log2(n)) });
            var (overlay, members) = await ChordExperimentSupport.BuildAsync(context, Name, parameters, n);
            var names = Enumerable.Range(0, keys).Select(i => $"key-{i}").ToList();
            var random = SeededRandom.Create(context.Seed, "failures-put");
            var puts = names.Select(k => (Key: k, From: members[random.Next(members.Count)])).ToList();
            await ChordExperimentSupport.RunAllAsync(puts, w => ChordExperimentSupport.Peer(context, overlay, w.From).PutAsync(w.Key, "v"));

            var victims = members.OrderBy(_ => random.Next()).Take((int)Math.Round(p * n)).ToHashSet();
            foreach (var v in victims.Order())
            {
                await ChordExperimentSupport.Peer(context, overlay, v).FailAsync();
            }

            // Ground truth from the ring before the failure: with one copy, a key is lost exactly
            // when its owner failed; the failed peers own their arcs (predecessor, peer] of the ring.
            var before = new IdealRing(IdSpace.Sha1, members);
            var onlyOnFailed = names.Count(k => victims.Contains(before.Successor(IdSpace.Sha1.Hash(k))));
            var failedKeyspace = KeyspaceFraction(before, victims);

            await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(rounds);
            var live = members.Where(m => !victims.Contains(m)).ToList();
            var ideal = new IdealRing(IdSpace.Sha1, live);
            var gets = names.Select(k => (Key: k, From: live[random.Next(live.Count)])).ToList();
            var results = await ChordExperimentSupport.RunAllAsync(gets, w => ChordExperimentSupport.Peer(context, overlay, w.From).GetAsync(w.Key), concurrency: 1);
            var lost = results.Count(r => r.Value is null);
            var routing = results.Count(r => !r.Lookup.Success);
            var wrong = results.Count(r => r.Lookup.Success && r.Lookup.Owner != ideal.Successor(r.Lookup.Key));
            table.Add(n, p, keys, lost, routing, wrong, (double)lost / keys, results.Average(r => r.Lookup.Hops), onlyOnFailed, failedKeyspace);
            await ChordExperimentSupport.DeleteAsync(context, overlay);
        }

        var ps = table.Rows.Select(r => (double)r[1]).ToList();
        var figure = new ExperimentFigure("Chord: lookups after simultaneous failures", "fraction of peers failed (p)", "fraction of failed lookups",
        [
            new("ours", ps, table.Column("failed_fraction").ToList()),
            new("paper: p", ps, ps),
        ]);
        var worst = table.Rows.MaxBy(r => Math.Abs((double)r[6] - (double)r[1]))!;
        List<string> comparison =
        [
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Largest gap between the failed fraction and p: {(double)worst[6] - (double)worst[1]:+0.000;-0.000} at p = {(double)worst[1]:F2} (failed fraction {(double)worst[6]:F3})."),
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Keys lost equal the keys whose only copy was on a failed peer (from the ring before the failure) in {table.Rows.Count(r => (int)r[3] == (int)r[8])} of {table.Rows.Count} runs."),
            .. table.Rows.Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"p = {(double)r[1]:F2}: the failed peers owned {(double)r[9]:F3} of the key space ({((double)r[9] - (double)r[1]) / (double)r[1]:+0%;-0%;0%} against p) and {(double)r[6]:F3} of the keys were lost.")),
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The failed peers' share of the key space differs from p by up to {table.Rows.Max(r => Math.Abs((double)r[9] - (double)r[1])):F3} (arcs between random ids vary in length); the lost fraction differs from that share by up to {table.Rows.Max(r => Math.Abs((double)r[6] - (double)r[9])):F3} (the keys are a sample of the arcs)."),
            $"Lookups that failed for routing reasons: {table.Column("lookups_failed_routing").Sum():F0}; lookups that returned a wrong owner: {table.Column("wrong_owner").Sum():F0} (paper: none).",
        ];
        return new ExperimentResult(table, figure, comparison, new Dictionary<string, string>
        {
            ["keys_only_on_failed"] = "keys whose owner in the ring before the failure is a failed peer (exactly the keys a single copy loses)",
            ["failed_keyspace"] = "fraction of the 2^160 ids owned by the failed peers in the ring before the failure (each owns (predecessor, itself])",
            ["peers"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["keys"] = keys.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["stabilization rounds after the failure"] = rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["successor list"] = "2·log2 N",
            ["replication"] = "none (1 copy), as in the paper",
        });
    }

    /// <summary>The fraction of the id space the given peers own in the ring: the sum of their arcs (predecessor, peer].</summary>
    private static double KeyspaceFraction(IdealRing ring, IReadOnlySet<NodeId> peers)
    {
        var total = System.Numerics.BigInteger.Zero;
        foreach (var peer in peers)
        {
            var arc = peer.ToBigInteger() - ring.Predecessor(peer).ToBigInteger();
            total += arc <= 0 ? arc + System.Numerics.BigInteger.Pow(2, NodeId.MaxBits) : arc;
        }

        return (double)total / (double)System.Numerics.BigInteger.Pow(2, NodeId.MaxBits);
    }
}
