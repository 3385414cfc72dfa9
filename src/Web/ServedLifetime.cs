namespace P2POrleans.Web;

/// <summary>
/// The web server is part of a process that already handles Ctrl+C and SIGTERM (the console, the
/// silo): it must not take those signals for itself (a ConsoleLifetime would stop only the page and
/// leave the command waiting), so its host lifetime does nothing.
/// </summary>
internal sealed class ServedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
