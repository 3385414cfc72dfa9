using System.CommandLine;

namespace P2POrleans.Client;

/// <summary>What a command's action needs: the session, set once the connection mode is known.</summary>
public sealed class CommandEnvironment
{
    private CliSession? _session;

    public CliSession Session
    {
        get => _session ?? throw new InvalidOperationException("no session yet");
        set => _session = value;
    }

    /// <summary>
    /// Wraps an action so it receives the session and the cluster client. The action is abandoned as
    /// soon as the command is cancelled (Ctrl+C, SIGTERM, --timeout), even in the middle of a grain call
    /// that takes no token: the console stops promptly and the call's late answer is dropped. A command
    /// serving until stopped (<see cref="CliSession.ServingUntilStopped"/>) is let finish instead.
    /// </summary>
    public Func<ParseResult, CancellationToken, Task<int>> Run(Func<ParseResult, CliSession, IClusterClient, CancellationToken, Task<int>> action) =>
        async (parse, ct) =>
        {
            var client = await Session.ClientAsync(ct).WaitAsync(ct);
            var run = action(parse, Session, client, ct);
            try
            {
                return await run.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (Session.ServingUntilStopped)
            {
                // Stopping is how a serving command ends: it returns once it has closed what it serves.
                return await run;
            }
        };
}
