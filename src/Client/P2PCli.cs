using System.CommandLine;
using Orleans.Runtime;
using P2POrleans.Client.Commands;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.Client;

/// <summary>
/// The `p2p` console (DESIGN.md section 9). Every failure the user can cause ends as one line on
/// standard error and exit code 2; nothing is changed by a command that failed validation.
/// </summary>
public static class P2PCli
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int BadInput = 2;

    /// <summary>Runs one command line, connecting as its options say.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var options = new GlobalOptions();
        var env = new CommandEnvironment();
        var parse = Parse(BuildRoot(options, env), args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync("error: " + (DurabilityOptions.UnsupportedOption(args) ?? OneLine(parse.Errors[0].Message)));
            return BadInput;
        }

        if (!ClusteringSettings.TryParse(key => ClusteringValue(options, parse, key), out var clustering, out var clusteringError))
        {
            await error.WriteLineAsync("error: " + clusteringError);
            return BadInput;
        }

        var embedded = parse.GetValue(options.Embedded);
        var traceConsole = parse.GetValue(options.Trace) == "console";
        await using var session = new CliSession(output, error, ct => embedded
            ? ClusterConnection.EmbeddedAsync(traceConsole, ct)
            : ClusterConnection.ConnectAsync(clustering, traceConsole, ct));
        env.Session = session;
        return await InvokeAsync(session, options, parse, cancellationToken);
    }

    /// <summary>Runs one command line on an existing cluster client (tests, the REPL).</summary>
    public static async Task<int> RunAsync(string[] args, IClusterClient client, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        await using var session = new CliSession(output, error, _ => Task.FromResult(ClusterConnection.Existing(client)), ownsConnection: false);
        return await RunInSessionAsync(args, session, cancellationToken);
    }

    /// <summary>Runs one command line in a session whose connection is already chosen (the REPL).</summary>
    public static async Task<int> RunInSessionAsync(string[] args, CliSession session, CancellationToken cancellationToken)
    {
        var options = new GlobalOptions();
        var env = new CommandEnvironment { Session = session };
        var parse = Parse(BuildRoot(options, env), args);
        if (parse.Errors.Count > 0)
        {
            await session.Error.WriteLineAsync("error: " + (DurabilityOptions.UnsupportedOption(args) ?? OneLine(parse.Errors[0].Message)));
            return BadInput;
        }

        return await InvokeAsync(session, options, parse, cancellationToken);
    }

    /// <summary>
    /// A clustering key from the command line, else from the environment as the silo reads it
    /// (P2P__Clustering, P2P__RedisConnection, P2P__ClusterId, P2P__Gateway).
    /// </summary>
    private static string? ClusteringValue(GlobalOptions options, ParseResult parse, string key)
    {
        var given = key switch
        {
            "clustering" => parse.GetValue(options.Clustering),
            "redis-connection" => parse.GetValue(options.RedisConnection),
            "cluster-id" => parse.GetValue(options.ClusterId),
            "gateway" => parse.GetValue(options.Gateway),
            _ => null, // storage is the silo's business
        };
        return key == "storage" ? null : given ?? Environment.GetEnvironmentVariable("P2P__" + ClusteringSettings.Pascal(key));
    }

    /// <summary>Response files (@file) are off: an argument starting with '@' is just a word.</summary>
    private static ParseResult Parse(RootCommand root, string[] args) =>
        root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    private static async Task<int> InvokeAsync(CliSession session, GlobalOptions options, ParseResult parse, CancellationToken cancellationToken)
    {
        session.Json = parse.GetValue(options.Json);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = session.Out,
                Error = session.Error,
            }, cancellationToken);
        }
        catch (Exception e) when (UserMessage(e) is { } message)
        {
            await session.Error.WriteLineAsync("error: " + OneLine(message));
            return BadInput;
        }
        catch (Exception e)
        {
            await session.Error.WriteLineAsync($"error: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return Unexpected;
        }
    }

    /// <summary>Messages that span lines (System.CommandLine lists the accepted values) become one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The one line to show for an exception the user can act on; null for a bug.</summary>
    internal static string? UserMessage(Exception e) => e switch
    {
        CliException or P2PException => e.Message,
        PeerUnreachableException => e.Message,
        SiloUnavailableException or Orleans.Runtime.Messaging.ConnectionFailedException => "the silo went away: " + e.Message,
        OperationCanceledException => "cancelled",
        AggregateException { InnerExceptions.Count: 1 } a => UserMessage(a.InnerExceptions[0]),
        _ => null,
    };

    public static RootCommand BuildRoot(GlobalOptions options, CommandEnvironment env)
    {
        var root = new RootCommand("P2POrleans: run, observe and compare peer-to-peer systems on Microsoft Orleans.");
        root.Options.Add(options.Embedded);
        root.Options.Add(options.Gateway);
        root.Options.Add(options.Clustering);
        root.Options.Add(options.RedisConnection);
        root.Options.Add(options.ClusterId);
        root.Options.Add(options.Json);
        root.Options.Add(options.Trace);
        foreach (var command in OverlayCommands.Build(env))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(ChordCommands.Build(env));
        root.Subcommands.Add(PastryCommands.Build(env));
        root.Subcommands.Add(KelipsCommands.Build(env));
        root.Subcommands.Add(NapsterCommands.Build(env));
        root.Subcommands.Add(GnutellaCommands.Build(env));
        root.Subcommands.Add(FastTrackCommands.Build(env));
        root.Subcommands.Add(SwarmCommands.Build(env));
        root.Subcommands.Add(ExperimentCommands.Build(env));
        root.Subcommands.Add(BenchCommand.Build(env));
        root.Subcommands.Add(SoakCommand.Build(env));
        root.Subcommands.Add(DemoCommand.Build(env));
        root.Subcommands.Add(ReplCommand.Build(env));
        root.Subcommands.Add(WebCommand.Build(env));
        return root;
    }
}
