using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>
/// The central Napster server: an <see cref="Introducer"/> and a <see cref="FileDirectory"/>
/// (ternary search tree over the words of the file names). Not reentrant: it calls nobody, and
/// each request sees the directory whole. Down: every call fails with a clear error.
/// It stays the single point of failure the protocol has (docs/napster.md, "Single point of failure"): its
/// directory lives in this one activation. When its silo dies the grain is activated again on
/// another silo, reads the overlay's parameters from the overlay catalog (a replica on every silo,
/// docs/cluster.md) and answers as a server that crashed: down, with an empty directory, until
/// `napster recover-server`; the peers then log in again on their next round.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class NapsterServerGrain : Grain, INapsterServerGrain
{
    private NapsterParameters? _parameters;
    private FileDirectory? _directory;
    private Introducer? _introducer;
    private int _epoch;
    private long _searches;
    private long _deadReported;
    private bool _lostWithSilo;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A new activation of an existing overlay's server: the previous one died with its silo (the
        // grain is always active otherwise). The parameters are immutable and replicated; the directory is not.
        if (await GrainFactory.GetGrain<IOverlayCatalogGrain>(0).GetAsync(Name) is { Parameters: NapsterParameters parameters })
        {
            _parameters = parameters;
            _lostWithSilo = true;
        }
    }

    public Task StartAsync(NapsterParameters parameters)
    {
        _parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        _lostWithSilo = false;
        Reset();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PeerEndpoint>> JoinAsync(PeerEndpoint peer, IReadOnlyList<SharedFile> files)
    {
        var (directory, introducer) = Up();
        var introduced = introducer.Join(peer, _parameters!.Introductions);
        directory.AddPeer(peer, files);
        return Task.FromResult(introduced);
    }

    public Task<bool> LoginAsync(PeerEndpoint peer, IReadOnlyList<SharedFile> files)
    {
        var (directory, _) = Up();
        var known = directory.IsOnline(peer);
        directory.AddPeer(peer, files);
        return Task.FromResult(known);
    }

    public Task LogoutAsync(PeerEndpoint peer)
    {
        var (directory, introducer) = Up();
        directory.RemovePeer(peer);
        introducer.Leave(peer);
        return Task.CompletedTask;
    }

    public Task<bool> IsOnlineAsync(PeerEndpoint peer) => Task.FromResult(Up().Directory.IsOnline(peer));

    public Task<IReadOnlyList<DirectoryEntry>> SearchAsync(string keywords, int maxResults)
    {
        var (directory, _) = Up();
        _searches++;
        return Task.FromResult(directory.Search(keywords, maxResults));
    }

    public Task ReportDeadAsync(PeerEndpoint peer)
    {
        var (directory, introducer) = Up();
        if (directory.IsOnline(peer))
        {
            _deadReported++;
        }

        directory.RemovePeer(peer);
        introducer.Leave(peer);
        return Task.CompletedTask;
    }

    public Task FailAsync()
    {
        Up();
        _directory = null;
        _introducer = null;
        return Task.CompletedTask;
    }

    public Task RecoverAsync()
    {
        if (_parameters is null)
        {
            throw new P2PException($"no napster overlay named '{Name}'");
        }

        if (_directory is not null)
        {
            throw new P2PException($"the napster server of '{Name}' is already up");
        }

        _lostWithSilo = false;
        Reset();
        return Task.CompletedTask;
    }

    public Task<NapsterServerStats> StatsAsync() => Task.FromResult(_directory is { } d
        ? new NapsterServerStats(true, d.PeerCount, d.FileCount, d.WordCount, _epoch, _searches, _deadReported)
        : new NapsterServerStats(false, 0, 0, 0, _epoch, _searches, _deadReported));

    public Task StopAsync()
    {
        _parameters = null;
        _directory = null;
        _introducer = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private void Reset()
    {
        _epoch++;
        _directory = new FileDirectory();
        _introducer = new Introducer(_parameters!.IntroducerCapacity, SeededRandom.Create(_parameters.Seed, "introducer-" + _epoch));
    }

    private (FileDirectory Directory, Introducer Introducer) Up()
    {
        if (_parameters is null)
        {
            throw new P2PException($"no napster overlay named '{Name}'");
        }

        return _directory is { } d && _introducer is { } i
            ? (d, i)
            : throw new P2PException(_lostWithSilo
                ? $"the napster server of '{Name}' is down (single point of failure): its silo stopped and its directory was lost; `napster recover-server {Name}` restarts it empty"
                : $"the napster server of '{Name}' is down (single point of failure): no search, join or upload until it recovers");
    }
}
