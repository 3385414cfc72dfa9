using System.Runtime.InteropServices;

namespace P2POrleans.Client;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the `p2p` process: the first one cancels the running command, which
/// prints what it had done and exits 130 or 143; if it has not exited <see cref="Grace"/> later (or a
/// second signal comes), the process exits with that code anyway. Only the process's entry point
/// creates one; in tests a plain cancellation token plays its part.
/// </summary>
public sealed class CliSignals : IDisposable
{
    /// <summary>The bound on stopping after a signal (embedded silo included).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private int _signals;

    public CliSignals(TextWriter error)
    {
        _error = error;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, "Ctrl+C", P2PCli.Interrupted)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, "SIGTERM", P2PCli.Terminated)));
    }

    /// <summary>"Ctrl+C" or "SIGTERM" once a signal came (process-wide: there is one console per process).</summary>
    public static string? Received { get; private set; }

    /// <summary>130 or 143 once a signal came.</summary>
    public static int? ExitCode { get; private set; }

    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context, string name, int code)
    {
        // Handled here: the runtime must not terminate the process before the command has stopped.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            Exit(code, $"error: {name} again; exiting now");
            return;
        }

        Received = name;
        ExitCode = code;
        _cancel.Cancel();
        _ = Task.Run(async () =>
        {
            await Task.Delay(Grace);
            Exit(code, $"error: still stopping {Grace.TotalSeconds:0} s after {name}; exiting now");
        });
    }

    private void Exit(int code, string message)
    {
        try
        {
            _error.WriteLine(message);
            _error.Flush();
        }
        catch (IOException)
        {
        }

        Environment.Exit(code);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }
}
