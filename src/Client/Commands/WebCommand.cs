using System.CommandLine;
using P2POrleans.Web;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p web [--port 5080] [--host 127.0.0.1]`: the live web view of the cluster (docs/web.md).</summary>
public static class WebCommand
{
    public static Command Build(CommandEnvironment env)
    {
        var port = PortOption();
        var host = HostOption();
        var command = new Command("web", "Serve the live web view of the cluster (overlays, rings, tables, floods, swarms) until Ctrl+C") { port, host };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var options = Options(parse.GetValue(host)!, parse.GetValue(port));
            await using var server = await StartAsync(session, client, options, ct);
            await session.Out.WriteLineAsync($"web view at {server.Url} — Ctrl+C stops it");
            await UntilStoppedAsync(session, ct);
            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Serves until Ctrl+C, SIGTERM (both cancel <paramref name="ct"/>: the console's signal handling,
    /// docs/cluster.md) or the command's cancellation. That is this command's normal end: it returns, so
    /// the caller closes what it serves, and the console prints no error for it.
    /// </summary>
    public static async Task UntilStoppedAsync(CliSession session, CancellationToken ct)
    {
        session.ServingUntilStopped = true;
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static Option<int> PortOption() => new("--port") { Description = "port of the web view", DefaultValueFactory = _ => WebOptions.DefaultPort };

    public static Option<string> HostOption() => new("--host")
    {
        Description = "address to listen on (default 127.0.0.1; anything else lets other machines in, with no authentication)",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static WebOptions Options(string host, int port)
    {
        var options = new WebOptions { Host = host, Port = port };
        return options.Problem() is { } problem ? throw new CliException(problem) : options;
    }

    /// <summary>Starts the web view on the session's cluster client; one clear line when the port is taken.</summary>
    public static async Task<WebServer> StartAsync(CliSession session, IClusterClient client, WebOptions options, CancellationToken ct)
    {
        if (options.Warning is { } warning)
        {
            await session.Error.WriteLineAsync(warning);
        }

        try
        {
            return await P2PWeb.StartAsync(client, options, ct);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"{e.Message} (is another web view running? choose another --port)");
        }
    }
}
