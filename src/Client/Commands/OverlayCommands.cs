using System.CommandLine;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`list`, `show NAME`, `delete NAME`: overlays of any protocol.</summary>
public static class OverlayCommands
{
    public static IEnumerable<Command> Build(CommandEnvironment env)
    {
        var list = new Command("list", "List the overlays in the cluster");
        list.SetAction(env.Run(async (_, session, client, ct) =>
        {
            // The catalog of whichever silo answers: no single grain has to be up to list the overlays.
            var infos = (await session.Policy.RunAsync((_, t) => client.GetGrain<IOverlayCatalogGrain>(0).ListAsync().WaitAsync(t), ct)).Value;
            foreach (var i in infos)
            {
                session.Parameters[i.Name] = i.Parameters;
            }

            if (session.Json)
            {
                session.WriteJson(infos.Select(i => new { name = i.Name, protocol = i.Parameters.Protocol, members = i.Members, round = i.Round }));
                return P2PCli.Ok;
            }

            var table = new Table().AddColumns("overlay", "protocol", "peers", "round", "clock");
            foreach (var i in infos)
            {
                table.AddRow(Markup.Escape(i.Name), i.Parameters.Protocol, i.Members.ToString("N0"), i.Round.ToString("N0"), i.Parameters.Clock.ToString().ToLowerInvariant());
            }

            session.Console.Write(infos.Count == 0 ? new Text("no overlays yet; create one, e.g. `p2p chord create ring1`\n") : table);
            return P2PCli.Ok;
        }));

        var nameArgument = NameArgument();
        var show = new Command("show", "Show an overlay's parameters and size") { nameArgument };
        show.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var info = await OverlayAccess.InfoAsync(client, session.Policy, parse.GetValue(nameArgument)!, ct);
            session.Parameters[info.Name] = info.Parameters;
            if (session.Json)
            {
                session.WriteJson(new { name = info.Name, protocol = info.Parameters.Protocol, members = info.Members, round = info.Round, parameters = info.Parameters });
                return P2PCli.Ok;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("overlay", Markup.Escape(info.Name));
            grid.AddRow("peers", info.Members.ToString("N0"));
            grid.AddRow("round", info.Round.ToString("N0"));
            grid.AddRow("created", info.CreatedAt.ToString("u"));
            grid.AddRow("parameters", Markup.Escape(info.Parameters.ToString()));
            session.Console.Write(grid);
            return P2PCli.Ok;
        }));

        var deleteName = NameArgument();
        var delete = new Command("delete", "Delete an overlay and stop its peers") { deleteName };
        delete.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var name = parse.GetValue(deleteName)!;
            await RequireAsync(client, name);
            session.Parameters.Remove(name);
            await client.GetGrain<IOverlayRegistryGrain>(name).DeleteAsync();
            session.Out.WriteLine(session.Json ? $"{{ \"deleted\": \"{name}\" }}" : $"deleted overlay '{name}'");
            return P2PCli.Ok;
        }));

        return [list, show, delete];
    }

    public static Argument<string> NameArgument() => new("name")
    {
        Description = "Overlay name (letters, digits, '-', '_', '.')",
        Validators =
        {
            r =>
            {
                if (OverlayNames.Problem(r.GetValueOrDefault<string>()) is { } problem)
                {
                    r.AddError(problem);
                }
            },
        },
    };

    /// <summary>The overlay's parameters as the protocol's own record, or one clear error line.</summary>
    public static async Task<(string Overlay, TParameters Parameters)> RequireProtocolAsync<TParameters>(IClusterClient client, string overlay, string protocol)
        where TParameters : OverlayParameters
    {
        var info = await RequireAsync(client, overlay);
        return info.Parameters is TParameters p
            ? (overlay, p)
            : throw new CliException($"overlay '{overlay}' is a {info.Parameters.Protocol} overlay, not {protocol}");
    }

    /// <summary>An id (decimal or 0x-hex) that must fit in the overlay's id space.</summary>
    public static NodeId ParseId(OverlayParameters parameters, string text, string what) =>
        parameters.Space.TryParse(text, out var id, out var error) ? id : throw new CliException($"{what}: {error}");

    /// <summary>The overlay as the catalog knows it (any silo can answer; retried), or one clear error line.</summary>
    public static Task<OverlayInfo> RequireAsync(IClusterClient client, string name) =>
        OverlayAccess.InfoAsync(client, ClusterCallPolicy.Default, name, CancellationToken.None);
}
