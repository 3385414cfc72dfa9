using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace P2POrleans.Client;

/// <summary>One invocation's (or one REPL's) connection and output.</summary>
public sealed class CliSession : IAsyncDisposable
{
    /// <summary>The JSON shape of every --json output and report file (snake_case names).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly Func<CancellationToken, Task<ClusterConnection>> _connect;
    private ClusterConnection? _connection;
    private readonly bool _ownsConnection;

    public CliSession(TextWriter output, TextWriter error, Func<CancellationToken, Task<ClusterConnection>> connect, bool ownsConnection = true)
    {
        Out = output;
        Error = error;
        _connect = connect;
        _ownsConnection = ownsConnection;
        var terminal = output == System.Console.Out && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            Console.Profile.Width = 160;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Console { get; }

    /// <summary>Set per command from --json.</summary>
    public bool Json { get; set; }

    /// <summary>Retries of the request path; its budget follows --timeout (set per command).</summary>
    public ClusterCallPolicy Policy { get; set; } = ClusterCallPolicy.Default;

    /// <summary>Overlay parameters read this session (they never change while the overlay exists; `delete` and `show` refresh them).</summary>
    public Dictionary<string, P2POrleans.Common.OverlayParameters> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>What the running command has done so far, in words, printed if it is interrupted (e.g. "2 of 5 runs").</summary>
    public string? Progress { get; set; }

    /// <summary>
    /// Set by a command that serves until it is stopped (the web view): Ctrl+C or SIGTERM is its normal
    /// end, so the command is let finish (and close what it serves) instead of being abandoned.
    /// </summary>
    public bool ServingUntilStopped { get; set; }

    /// <summary>
    /// True while the session runs one command and ends with it (`p2p &lt;command&gt;`); false in the REPL, where
    /// what one command builds must be gone before the next.
    /// </summary>
    public bool EndsWithCommand { get; set; }

    /// <summary>
    /// Whether the silo runs in this process and stops when this command ends: a command may then leave what
    /// it built to the end of the process instead of tearing it down (<see cref="LeaveSiloToProcessEnd"/>).
    /// </summary>
    public bool SiloEndsWithCommand => EndsWithCommand && _ownsConnection && SiloInProcess;

    /// <summary>
    /// The command left grains to the end of the process (<see cref="SiloEndsWithCommand"/>): the embedded silo is
    /// not stopped gracefully, which would deactivate them one by one (a million after a large bench), only
    /// left with the process. Nothing is lost: the overlays it leaves are volatile and the process is ending.
    /// </summary>
    public void LeaveSiloToProcessEnd()
    {
        if (SiloEndsWithCommand && _connection is { } connection)
        {
            connection.LeftToProcessEnd = true;
        }
    }

    public async Task<IClusterClient> ClientAsync(CancellationToken cancellationToken)
    {
        _connection ??= await _connect(cancellationToken);
        return _connection.Client;
    }

    /// <summary>Whether the connected silos run in this process (embedded or a test cluster); false before connecting.</summary>
    public bool SiloInProcess => _connection?.SiloInProcess ?? false;

    public void WriteJson(object value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null && _ownsConnection)
        {
            await _connection.DisposeAsync();
        }
    }
}
