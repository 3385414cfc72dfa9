namespace P2POrleans.Unstructured;

/// <summary>
/// Hands out files to peers for an experiment: a fraction of free riders share nothing (about 70%
/// of Gnutella users in 2000, Adar and Huberman), the others share a random selection of the
/// catalogue, drawn with a Zipf-like popularity so that some titles are replicated widely and most
/// are rare.
/// </summary>
public static class FileDistribution
{
    public static IReadOnlyList<SharedLibrary> Assign(
        int peerCount, IReadOnlyList<string> catalogue, int filesPerSharer, double freeRiderFraction, Random rng, double zipfExponent = 1.0)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(peerCount);
        ArgumentOutOfRangeException.ThrowIfNegative(filesPerSharer);
        if (freeRiderFraction is < 0 or > 1 || double.IsNaN(freeRiderFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(freeRiderFraction), "must be in [0, 1]");
        }

        var freeRiders = FreeRiders(peerCount, freeRiderFraction, rng);
        var cumulative = new double[catalogue.Count];
        var sum = 0.0;
        for (var i = 0; i < catalogue.Count; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, zipfExponent);
            cumulative[i] = sum;
        }

        var libraries = new SharedLibrary[peerCount];
        for (var peer = 0; peer < peerCount; peer++)
        {
            if (freeRiders.Contains(peer) || catalogue.Count == 0)
            {
                libraries[peer] = SharedLibrary.Empty;
                continue;
            }

            var chosen = new SortedSet<int>();
            var wanted = Math.Min(filesPerSharer, catalogue.Count);
            while (chosen.Count < wanted)
            {
                var x = rng.NextDouble() * sum;
                var title = Array.BinarySearch(cumulative, x);
                chosen.Add(title >= 0 ? title : Math.Min(~title, catalogue.Count - 1));
            }

            libraries[peer] = new SharedLibrary(chosen.Select((title, i) =>
                new SharedFile((uint)i, (uint)(1_000_000 + rng.Next(9_000_000)), catalogue[title])));
        }

        return libraries;
    }

    /// <summary>Exactly round(fraction * peerCount) peers, chosen uniformly.</summary>
    public static IReadOnlySet<int> FreeRiders(int peerCount, double fraction, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var count = (int)Math.Round(fraction * peerCount, MidpointRounding.AwayFromZero);
        var order = Enumerable.Range(0, peerCount).ToArray();
        rng.Shuffle(order);
        return order.Take(count).ToHashSet();
    }
}
