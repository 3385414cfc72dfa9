using System.CommandLine;
using P2POrleans.Common;

namespace P2POrleans.Client.Commands;

/// <summary>
/// The `leave`, `fail` and `step` commands that Chord, Pastry and Kelips share (docs/architecture.md):
/// one definition, so the three protocols check their arguments and answer alike. Each protocol
/// gives its peer grain interface, its parameters type and its own descriptions.
/// </summary>
public static class MemberCommands
{
    public static Command Leave<TParameters, TPeer>(CommandEnvironment env, string protocol, string description)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer
    {
        var name = OverlayCommands.NameArgument();
        var id = new Option<string>("--id") { Description = "the peer that leaves", Required = true };
        var command = new Command("leave", description) { name, id };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, parameters) = await OverlayCommands.RequireProtocolAsync<TParameters>(client, parse.GetValue(name)!, protocol);
            var peer = await RequireMemberAsync<TPeer>(client, overlay, parameters, parse.GetValue(id)!, "--id");
            await client.GetGrain<TPeer>(PeerKeys.For(overlay, peer)).LeaveAsync();
            if (session.Json)
            {
                session.WriteJson(new { left = parameters.Space.Format(peer) });
            }
            else
            {
                session.Out.WriteLine($"peer {parameters.Space.Format(peer)} left '{overlay}'");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    public static Command Fail<TParameters, TPeer>(CommandEnvironment env, string protocol)
        where TParameters : OverlayParameters
        where TPeer : IMemberPeer
    {
        var name = OverlayCommands.NameArgument();
        var id = new Option<string?>("--id") { Description = "the peer that crashes" };
        var count = new Option<int?>("--count") { Description = "crash this many random peers at once" };
        var seed = new Option<long>("--seed") { Description = "seed of the random choice of peers", DefaultValueFactory = _ => 1 };
        var command = new Command("fail", "Crash peers: state dropped, nothing handed over") { name, id, count, seed };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var (overlay, parameters) = await OverlayCommands.RequireProtocolAsync<TParameters>(client, parse.GetValue(name)!, protocol);
            var idText = parse.GetValue(id);
            var n = parse.GetValue(count);
            if ((idText is null) == (n is null))
            {
                throw new CliException("give exactly one of --id or --count");
            }

            List<NodeId> victims;
            if (idText is not null)
            {
                victims = [await RequireMemberAsync<TPeer>(client, overlay, parameters, idText, "--id")];
            }
            else
            {
                var members = (await session.Policy.RunAsync((_, t) => client.GetGrain<IOverlayCatalogGrain>(0).GetMembersAsync(overlay).WaitAsync(t), ct)).Value;
                if (n < 1 || n > members.Count)
                {
                    throw new CliException($"--count must be between 1 and the {members.Count} members");
                }

                var random = SeededRandom.Create(parse.GetValue(seed), "fail");
                victims = members.OrderBy(_ => random.Next()).Take(n!.Value).ToList();
            }

            foreach (var victim in victims)
            {
                await client.GetGrain<TPeer>(PeerKeys.For(overlay, victim)).FailAsync();
            }

            if (session.Json)
            {
                session.WriteJson(new { failed = victims.Select(parameters.Space.Format).ToArray() });
            }
            else
            {
                session.Out.WriteLine($"crashed {victims.Count} peer(s): {string.Join(", ", victims.Take(8).Select(parameters.Space.Short))}{(victims.Count > 8 ? ", …" : "")}");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>`step`: advances the overlay's stepped clock; <paramref name="roundWork"/> says what a round does.</summary>
    public static Command Step<TParameters>(CommandEnvironment env, string protocol, string roundWork, string description)
        where TParameters : OverlayParameters
    {
        var name = OverlayCommands.NameArgument();
        var rounds = new Option<int>("--rounds") { Description = "rounds of " + roundWork, DefaultValueFactory = _ => 1 };
        var command = new Command("step", description) { name, rounds };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var (overlay, _) = await OverlayCommands.RequireProtocolAsync<TParameters>(client, parse.GetValue(name)!, protocol);
            var n = parse.GetValue(rounds);
            if (n is < 1 or > 100_000)
            {
                throw new CliException($"--rounds must be between 1 and 100,000 (got {n})");
            }

            var round = await client.GetGrain<IOverlayRegistryGrain>(overlay).StepAsync(n);
            if (session.Json)
            {
                session.WriteJson(new { round });
            }
            else
            {
                session.Out.WriteLine($"'{overlay}' is at round {round}");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>Parses an id option and checks that the peer is a member: one clear error line otherwise.</summary>
    public static async Task<NodeId> RequireMemberAsync<TPeer>(IClusterClient client, string overlay, OverlayParameters parameters, string text, string what)
        where TPeer : IMemberPeer
    {
        var id = OverlayCommands.ParseId(parameters, text, what);
        if (!await client.GetGrain<TPeer>(PeerKeys.For(overlay, id)).IsMemberAsync())
        {
            throw new CliException($"peer {parameters.Space.Format(id)} is not a member of '{overlay}'");
        }

        return id;
    }
}
