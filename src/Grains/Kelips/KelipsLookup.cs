using System.Diagnostics;
using P2POrleans.Common;
using P2POrleans.Kelips.Lookups;

namespace P2POrleans.Kelips;

/// <summary>
/// A Kelips lookup driven by the peer that asks (section 2.2; docs/kelips.md, lookup): the plan comes
/// from the node's soft state (<see cref="LookupPlanner"/>), the messages go through the call policy,
/// and the path, dead hops and spans are kept by the shared <see cref="LookupWalk"/>.
/// </summary>
public sealed class KelipsLookup
{
    private const string Name = KelipsParameters.Name;

    private readonly PeerCalls<IKelipsPeerGrain> _calls;

    public KelipsLookup(PeerCalls<IKelipsPeerGrain> calls) => _calls = calls;

    /// <summary>
    /// Lookup (section 2.2): the file's group; own group -> local filetuples; else ask the contacts
    /// there, nearest first (one hop each); if none answers, ask the nearest group mates for their
    /// contacts there. Then fetch the file from the home node the tuple names. Every peer asked is a
    /// message of the result (Lookup.Hops and Messages, in Path) and a "kelips.hop" span; the route
    /// to the answer is PathLength; the fetch is a "kelips.fetch" span.
    /// </summary>
    public async Task<KelipsLookupResult> RunAsync(KelipsNode node, string overlay, string fileName)
    {
        ArgumentNullException.ThrowIfNull(node);
        var self = node.Self;
        var space = node.Parameters.Space;
        using var activity = P2PTelemetry.StartLookup(Name, overlay, fileName, space.Format(self));
        var plan = node.State.PlanLookup(fileName);
        activity?.SetTag("kelips.group", plan.FileGroup);
        var keyId = space.Hash(fileName);
        var walk = new LookupWalk(Name, keyId, self);
        var path = walk.Path;
        var tried = new HashSet<NodeId> { self };
        FileTuple? answer = null;

        // The route to the answer (section 2.2's hops): 0 local, 1 through an own contact, 2 through
        // a group mate's contact. Dead peers and contacts without the tuple are messages, not route.
        var route = 0;

        // What each peer asked answered, for the error of a failed lookup: which groups were
        // reached and what they said is what tells a stale filetuple from a missing contact.
        // Recorded raw and formatted only when the lookup fails (lookups are the hot path).
        var answers = new List<(NodeId Peer, string Reason, string Answer, IReadOnlyList<NodeId>? Contacts)>();
        var groupAsked = 0;

        // One remote step: the peer is a hop whether it answers, knows nothing, or is dead.
        async Task<(bool Ok, T? Value)> AskAsync<T>(NodeId peer, string reason, Func<IKelipsPeerGrain, Task<T>> call)
        {
            var rtt = node.Network.Rtt(self, peer);
            path.Add(new Hop(peer, rtt, reason));
            var asked = await walk.AskAsync(peer, space.Format(peer), path.Count - 1, rtt,
                () => _calls.CallAsync(peer, reason == "group mate" ? "contacts_for" : "query", call, walk.Kind));
            if (!asked.Ok)
            {
                path[^1] = path[^1] with { Reason = reason + " (dead)" };
                var what = Unreachable.Describe(asked.Fault, _calls.Timeout);
                answers.Add((peer, reason, asked.Forgotten ? what + ", dropped" : what, null));
            }

            return (asked.Ok, asked.Value);
        }

        async Task<FileTuple?> QueryContactAsync(NodeId contact, string reason)
        {
            if (!tried.Add(contact))
            {
                return null;
            }

            groupAsked++;
            var (ok, tuple) = await AskAsync(contact, reason, p => p.QueryAsync(fileName));
            if (ok)
            {
                answers.Add((contact, reason, tuple is null ? "no tuple" : "tuple", null));
            }

            return tuple;
        }

        if (plan.IsLocal)
        {
            answer = plan.LocalAnswer;
        }
        else
        {
            foreach (var contact in plan.Contacts)
            {
                if ((answer = await QueryContactAsync(contact, "contact")) is not null)
                {
                    route = 1;
                    break;
                }
            }

            // The plan names the nearest group mates; a dead one (e.g. of a crashed silo, not yet
            // gossiped out of the view) does not use up the budget: the next nearest is asked instead,
            // until MaxFallbackMembers mates have answered.
            var mates = plan.FallbackMembers.Concat(node.State.View.OthersByRtt().Select(e => e.Id)).ToList();
            var answered = 0;
            foreach (var mate in mates)
            {
                if (answer is not null || answered >= node.State.Options.MaxFallbackMembers)
                {
                    break;
                }

                if (!tried.Add(mate))
                {
                    continue;
                }

                var (ok, theirs) = await AskAsync(mate, "group mate", p => p.ContactsForAsync(plan.FileGroup));
                answered += ok ? 1 : 0;
                if (ok)
                {
                    answers.Add((mate, "group mate", "contacts", theirs));
                }

                foreach (var contact in ok ? theirs! : [])
                {
                    if ((answer = await QueryContactAsync(contact, "contact of group mate")) is not null)
                    {
                        route = 2;
                        break;
                    }
                }
            }
        }

        var success = answer is not null;
        var error = success ? null
            : plan.IsLocal ? $"'{fileName}' is not in the filetuples of its group {plan.FileGroup} (this peer's own)"
            : plan.CanRoute ? LookupFailure(node, plan.FileGroup, fileName, groupAsked, walk.DeadSkipped, walk.Messages, answers)
            : $"no contact in group {plan.FileGroup} and no group mate to ask";
        var owner = answer?.HomeNode ?? NodeId.Zero;
        var result = success ? walk.Succeed(owner) : walk.Fail(error!);
        P2PTelemetry.CompleteLookup(activity, Name, result.Hops, result.LatencyMs, success ? space.Format(owner) : "", success);

        // Fetch from the home node (files are stored where they were uploaded).
        string? content = null;
        var fetchRtt = 0.0;
        var homeUnreachable = false;
        if (success)
        {
            if (owner == self)
            {
                content = node.State.Hosts(fileName) ? node.Contents.GetValueOrDefault(fileName) : null;
            }
            else
            {
                using var fetch = P2PTelemetry.Source.StartActivity(Name + ".fetch");
                fetch?.SetTag("p2p.hop.node", space.Format(owner));
                fetchRtt = node.Network.Rtt(self, owner);
                var fetched = await _calls.CallAsync(owner, "fetch", p => p.FetchAsync(fileName), P2PTelemetry.LookupKind);
                if (!fetched.Ok)
                {
                    fetch?.SetStatus(ActivityStatusCode.Error);

                    // A home node whose silo did not answer may come back with the file (a durable peer): unavailable, not missing.
                    homeUnreachable = fetched.Fault is PeerFault.SiloUnreachable or PeerFault.TimedOut;
                }

                content = fetched.Value;
            }
        }

        return new KelipsLookupResult(fileName, plan.FileGroup, result, content is not null, content, fetchRtt, route) { HomeUnreachable = homeUnreachable };
    }

    /// <summary>
    /// Why a routable lookup failed. Reaching no member of the file's group (no contact there here,
    /// none at the group mates asked: e.g. every member of that group died) is not the same failure
    /// as members that were asked and hold no filetuple, so the two read differently.
    /// </summary>
    private static string LookupFailure(KelipsNode node, int group, string fileName, int groupAsked, int dead, int messages, IReadOnlyList<(NodeId Peer, string Reason, string Answer, IReadOnlyList<NodeId>? Contacts)> answers)
    {
        string Describe(NodeId peer) => $"{node.Parameters.Space.Short(peer)} (group {node.State.Groups.Of(peer)})";
        string Line((NodeId Peer, string Reason, string Answer, IReadOnlyList<NodeId>? Contacts) a) =>
            $"{Describe(a.Peer)} as {a.Reason}: {a.Answer}{(a.Contacts is { } c ? $" [{string.Join(", ", c.Select(Describe))}]" : "")}";

        var what = groupAsked > 0
            ? $"no peer asked in group {group} knows '{fileName}'"
            : $"no peer of group {group} to ask for '{fileName}': no contact there here nor at the group mates asked";
        var gone = dead > 0 ? $" ({dead} of the {messages} peers asked did not answer in time or were gone)" : "";
        return $"{what}{gone}; asked: {(answers.Count == 0 ? "nobody" : string.Join("; ", answers.Select(Line)))}";
    }
}
