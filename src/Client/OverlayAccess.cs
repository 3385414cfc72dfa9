using P2POrleans.Common;

namespace P2POrleans.Client;

/// <summary>
/// The console's request path to an overlay, with no single grain on it (docs/cluster.md): parameters
/// read from the catalog of whichever silo answers and cached for the session (they never change), an
/// initiator picked by that catalog among members on live silos, and bounded retries with another
/// initiator when one does not answer (<see cref="ClusterCallPolicy"/>).
/// </summary>
public sealed class OverlayAccess(CliSession session, IClusterClient client)
{
    private IOverlayCatalogGrain Catalog => client.GetGrain<IOverlayCatalogGrain>(0);

    /// <summary>The overlay as the catalog knows it now (not cached), or one clear error line.</summary>
    public static async Task<OverlayInfo> InfoAsync(IClusterClient client, ClusterCallPolicy policy, string name, CancellationToken cancellationToken)
    {
        var info = (await policy.RunAsync((_, ct) => client.GetGrain<IOverlayCatalogGrain>(0).GetAsync(name).WaitAsync(ct), cancellationToken)).Value;
        return info ?? throw new CliException($"no overlay named '{name}' (see `p2p list`)");
    }

    /// <summary>The overlay's parameters as the protocol's record: from the session's cache, else the catalog.</summary>
    public async Task<(string Overlay, TParameters Parameters)> ParametersAsync<TParameters>(string name, string protocol, CancellationToken cancellationToken)
        where TParameters : OverlayParameters
    {
        if (!session.Parameters.TryGetValue(name, out var parameters))
        {
            parameters = (await InfoAsync(client, session.Policy, name, cancellationToken)).Parameters;
            session.Parameters[name] = parameters;
        }

        return parameters is TParameters p
            ? (name, p)
            : throw new CliException($"overlay '{name}' is a {parameters.Protocol} overlay, not {protocol}");
    }

    /// <summary>
    /// Runs <paramref name="call"/> on an initiator: <paramref name="from"/> if given (retried on that peer
    /// only), else a member the catalog picks, another one after each failed try. A result for which
    /// <paramref name="unavailable"/> gives a reason is retried too (e.g. a get whose holders did not answer).
    /// </summary>
    public async Task<Attempted<TResult>> FromInitiatorAsync<TResult>(
        string overlay, OverlayParameters parameters, string? from, Func<NodeId, Task<TResult>> call,
        CancellationToken cancellationToken, Func<TResult, string?>? unavailable = null)
    {
        if (from is not null)
        {
            var id = Commands.OverlayCommands.ParseId(parameters, from, "--from");
            try
            {
                return await session.Policy.RunAsync((_, ct) => call(id).WaitAsync(ct), cancellationToken, unavailable);
            }
            catch (PeerUnreachableException)
            {
                throw new CliException($"peer {parameters.Space.Format(id)} is not a member of '{overlay}'");
            }
        }

        return await session.Policy.RunAsync(async (attempt, ct) =>
        {
            attempt.AnotherInitiatorHelps = true;
            var initiator = await PickAsync(overlay, attempt, ct);
            try
            {
                return await call(initiator).WaitAsync(ct);
            }
            catch (Exception e) when (ClusterFailure.IsTransient(e) || e is PeerUnreachableException)
            {
                attempt.BadInitiators.Add(initiator);
                throw;
            }
        }, cancellationToken, unavailable);
    }

    /// <summary>
    /// <see cref="FromInitiatorAsync"/> for a read: a result still unavailable after the retries (its
    /// holders did not answer) is one error line, "<paramref name="what"/> is unavailable: why; tries" (exit 3).
    /// </summary>
    public async Task<TResult> AvailableFromInitiatorAsync<TResult>(
        string overlay, OverlayParameters parameters, string? from, Func<NodeId, Task<TResult>> call,
        Func<TResult, string?> unavailable, string what, CancellationToken cancellationToken)
    {
        var attempted = await FromInitiatorAsync(overlay, parameters, from, call, cancellationToken, unavailable);
        return attempted.Unavailable is { } why
            ? throw new ClusterUnavailableException($"{what} is unavailable: {why}; {attempted.Tries}")
            : attempted.Value;
    }

    /// <summary>A peer to show or to start from: <paramref name="from"/> if it is a member, else one the catalog picks (retried).</summary>
    public async Task<NodeId> InitiatorAsync<TPeer>(string overlay, OverlayParameters parameters, string? from, CancellationToken cancellationToken, string what = "--from")
        where TPeer : IMemberPeer
    {
        if (from is not null)
        {
            return await Commands.MemberCommands.RequireMemberAsync<TPeer>(client, overlay, parameters, from, what);
        }

        return (await session.Policy.RunAsync((attempt, ct) => PickAsync(overlay, attempt, ct), cancellationToken)).Value;
    }

    private async Task<NodeId> PickAsync(string overlay, CallAttempt attempt, CancellationToken cancellationToken)
    {
        var picked = await Catalog.PickInitiatorsAsync(overlay, 1, attempt.UnreachableSilos, [.. attempt.BadInitiators]).WaitAsync(cancellationToken);
        if (picked.Count == 0 && attempt.BadInitiators.Count > 0)
        {
            // Every member failed once: try them again rather than give up (their silo may be back).
            attempt.BadInitiators.Clear();
            picked = await Catalog.PickInitiatorsAsync(overlay, 1, [], []).WaitAsync(cancellationToken);
        }

        return picked.Count > 0 ? picked[0] : throw new CliException($"overlay '{overlay}' has no peers; join some first");
    }
}
