using System.CommandLine;
using System.Diagnostics;
using P2POrleans.Client.Commands;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.Client;

/// <summary>
/// The `p2p` console (README, "Exit codes"). Every failure ends as one line in words on standard error
/// (never an exception type or a source path) and an exit code that says what kind of failure it was;
/// nothing is changed by a command that failed validation.
/// </summary>
public static class P2PCli
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (a key not found, a lookup that failed), or an internal error.</summary>
    public const int Unexpected = 1;

    /// <summary>Bad input: an unknown option, a bad value, an overlay that does not exist. Nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>The cluster did not answer: no silo reachable, or a silo that did not answer every try.</summary>
    public const int Unavailable = 3;

    /// <summary>The command's --timeout ran out.</summary>
    public const int TimedOut = 4;

    /// <summary>Stopped by Ctrl+C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;

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
        session.EndsWithCommand = true;
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
        session.Progress = null;
        session.ServingUntilStopped = false;
        TimeSpan? timeout = null;
        if (parse.GetValue(options.Timeout) is { } timeoutText)
        {
            if (!DurationText.TryParse(timeoutText, out var t) || t <= TimeSpan.Zero)
            {
                await session.Error.WriteLineAsync($"error: --timeout takes a duration such as 30s, 2m or 500ms (got '{OneLine(timeoutText)}')");
                return BadInput;
            }

            timeout = t;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        session.Policy = timeout is { } budget ? ClusterCallPolicy.Default.WithBudget(budget) : ClusterCallPolicy.Default;
        var clock = Stopwatch.StartNew();
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = session.Out,
                Error = session.Error,
            }, deadline.Token);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM (Program), whatever the command was doing when it was cancelled.
            await session.Error.WriteLineAsync($"error: stopped by {CliSignals.Received ?? "cancellation"} after {DurationText.Format(clock.Elapsed)}{Done(session)}");
            return CliSignals.ExitCode ?? Interrupted;
        }
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            await session.Error.WriteLineAsync($"error: gave up after the --timeout of {DurationText.Format(timeout!.Value)}{Done(session)}");
            return TimedOut;
        }
        catch (ClusterUnavailableException e)
        {
            await session.Error.WriteLineAsync("error: " + OneLine(e.Message));
            return Unavailable;
        }
        catch (Exception e) when (UserMessage(e) is { } message)
        {
            await session.Error.WriteLineAsync("error: " + OneLine(message));
            return BadInput;
        }
        catch (Exception e) when (ClusterFailure.Describe(e) is { } failure)
        {
            // A call that is not retried (it changes the overlay) met a silo that did not answer.
            await session.Error.WriteLineAsync("error: " + failure + Done(session));
            return Unavailable;
        }
        catch (Exception e)
        {
            await session.Error.WriteLineAsync("error: internal error: " + ClusterFailure.Words(e.Message));
            return Unexpected;
        }
    }

    private static string Done(CliSession session) => session.Progress is { } progress ? $"; done: {progress}" : "";

    /// <summary>Messages that span lines (System.CommandLine lists the accepted values) become one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The one line to show for an exception the user can act on; null for a bug.</summary>
    internal static string? UserMessage(Exception e) => e switch
    {
        CliException or P2PException => e.Message,
        PeerUnreachableException => e.Message,
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
        root.Options.Add(options.Timeout);
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
        root.Subcommands.Add(ClusterDemo.SiloHostCommand.Build(options, env));
        root.Subcommands.Add(ReplCommand.Build(env));
        root.Subcommands.Add(WebCommand.Build(env));
        return root;
    }
}
