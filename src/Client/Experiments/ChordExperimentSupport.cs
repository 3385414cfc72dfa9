using P2POrleans.Chord;
using P2POrleans.Client.Structured;
using P2POrleans.Common;

namespace P2POrleans.Client.Experiments;

/// <summary>Building rings and running lookups for the Chord experiments.</summary>
public static class ChordExperimentSupport
{
    public const int Concurrency = 32;

    public static async Task<(string Overlay, IReadOnlyList<NodeId> Members)> BuildAsync(ExperimentContext context, string experiment, ChordParameters parameters, int n)
    {
        var overlay = context.NewOverlayName(experiment);
        await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(parameters);
        await ChordAdapter.Instance.BuildConvergedAsync(context.Client, overlay, n);
        return (overlay, await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync());
    }

    public static Task DeleteAsync(ExperimentContext context, string overlay) =>
        context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();

    public static IChordPeerGrain Peer(ExperimentContext context, string overlay, NodeId id) => ChordAdapter.Peer(context.Client, overlay, id);

    /// <summary>
    /// Runs the work items with bounded concurrency; results in input order. Use concurrency 1 when a
    /// call can change routing state (a lookup that meets a dead peer forgets it), so that the
    /// numbers do not depend on timing.
    /// </summary>
    public static async Task<T[]> RunAllAsync<TIn, T>(IReadOnlyList<TIn> work, Func<TIn, Task<T>> call, int concurrency = Concurrency)
    {
        var results = new T[work.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < work.Count)
            {
                results[i] = await call(work[i]);
            }
        }));
        return results;
    }

    /// <summary>count lookups of random keys from random initiators, both drawn from the seed.</summary>
    public static Task<LookupResult[]> LookupsAsync(ExperimentContext context, string overlay, IReadOnlyList<NodeId> initiators, int count, string stream, int concurrency = Concurrency)
    {
        var random = SeededRandom.Create(context.Seed, stream);
        var work = Enumerable.Range(0, count)
            .Select(i => (From: initiators[random.Next(initiators.Count)], Key: IdSpace.Sha1.Hash($"{stream}-{random.Next()}-{i}")))
            .ToList();
        return RunAllAsync(work, w => Peer(context, overlay, w.From).LookupAsync(w.Key, null), concurrency);
    }
}
