using System.Diagnostics;

namespace P2POrleans.Client.ClusterDemo;

/// <summary>
/// A process the cluster scene started (redis-server or a silo): its output goes to a log file, and a
/// line it prints can be waited for. <see cref="Kill"/> is SIGKILL, what a crash looks like to the cluster.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _lock = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];
    private readonly List<string> _lines = [];

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public string LogPath { get; }

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> (its output redirected here) and logs to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, ProcessStartInfo start, string logPath)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new CliException($"could not start {name}");

        // Nothing is ever typed into it; an open standard input would only keep it waiting.
        process.StandardInput.Close();
        return new ChildProcess(name, process, logPath);
    }

    /// <summary>Waits until the process prints a line containing <paramref name="text"/>; fails when it exits first or the bound passes.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan bound, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _waits.Add((text, seen));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        var exited = _process.WaitForExitAsync(timeout.Token);
        var done = await Task.WhenAny(seen.Task, exited);
        cancellationToken.ThrowIfCancellationRequested();
        if (done == seen.Task)
        {
            return;
        }

        var why = HasExited ? $"exited with code {_process.ExitCode}" : $"was not ready after {bound.TotalSeconds:0} s";
        throw new CliException($"{Name} {why} (log: {LogPath})");
    }

    /// <summary>SIGKILL, and waits (bounded) until the process is gone.</summary>
    public void Kill()
    {
        Signal();
        WaitGone(TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends SIGKILL and returns at once (a silo or redis-server starts no children of its own).</summary>
    public void Signal()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>Waits at most <paramref name="bound"/> for the process to be gone.</summary>
    public void WaitGone(TimeSpan bound)
    {
        try
        {
            _process.WaitForExit(bound);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    public void Dispose()
    {
        Signal();
        WaitGone(TimeSpan.FromSeconds(1));
        _process.Dispose();
        lock (_lock)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _lines.Add(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            foreach (var (text, seen) in _waits)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        }
    }
}
