using Microsoft.Extensions.Hosting;

namespace P2POrleans.Client;

/// <summary>
/// The console's hosts (embedded silo, cluster client) neither watch Ctrl+C/SIGTERM nor print
/// lifetime messages: <see cref="CliSignals"/> handles the signals, stops the command and then the host.
/// </summary>
public sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
