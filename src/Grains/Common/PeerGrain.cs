using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Core;
using Orleans.Serialization;
using Orleans.Storage;

namespace P2POrleans.Common;

/// <summary>
/// What every structured peer grain (Chord, Pastry, Kelips) does the same way (docs/architecture.md,
/// peer grains): its key ("overlay/id"), the node it holds while it is a member, the call policy
/// (<see cref="PeerCalls{TPeer}"/>), the registry, the live clock, the durable record (restored at
/// activation, written after each operation that moved the node's marker, deleted when the peer
/// goes), crash and stop. The protocol's grain adds its messages and its rules' driving.
/// </summary>
/// <typeparam name="TNode">The protocol's node (the grain-held state of a member).</typeparam>
/// <typeparam name="TRecord">What a durable peer writes.</typeparam>
/// <typeparam name="TMarker">A cheap summary of the node: a durable peer writes again only when it moves.</typeparam>
/// <typeparam name="TPeer">The protocol's peer grain interface.</typeparam>
public abstract class PeerGrain<TNode, TRecord, TMarker, TPeer> : Grain
    where TNode : class, IPeerNode
    where TRecord : class
    where TPeer : class, IGrainWithStringKey
{
    private readonly Serializer _serializer;
    private readonly Func<TMarker, TMarker, bool>? _sameMarker;
    private readonly PeerCallOptions _callOptions;
    private readonly TimeProvider _time;

    // Made on first use: a volatile peer never needs the storage plumbing, and a peer whose
    // protocol calls through its node's own policy never needs this one. At 10^6 peers in one silo
    // their objects and closures would cost hundreds of bytes per peer (docs/bench.md, memory).
    // The storage slot itself too: Orleans' [PersistentState] slot lives as long as the activation
    // and joins its lifecycle and migration (about 400 bytes per peer); this one is read at
    // activation and kept only when a record was there or the node turns out durable.
    private StateStorageBridge<StoredBlob>? _slot;
    private DurablePeerStorage<TNode, TRecord, TMarker>? _storage;
    private PeerCalls<TPeer>? _calls;
    private IGrainTimer? _timer;

    /// <summary>
    /// The storage (slot named after the protocol in <see cref="P2PStorage.Name"/>) is read at every
    /// activation, before the first call; only durable peers ever write to it, so a volatile peer finds
    /// no record and starts empty (docs/durability.md).
    /// </summary>
    protected PeerGrain(string protocol, ILogger logger, Serializer serializer, IOptions<PeerCallOptions> callOptions, TimeProvider time, Func<TMarker, TMarker, bool>? sameMarker = null)
    {
        ArgumentNullException.ThrowIfNull(callOptions);
        Protocol = protocol;
        Logger = logger;
        _serializer = serializer;
        _sameMarker = sameMarker;
        _callOptions = callOptions.Value;
        _time = time;
    }

    protected string Protocol { get; }

    protected ILogger Logger { get; }

    protected string Overlay { get; private set; } = "";

    /// <summary>The silo this activation runs on.</summary>
    protected string Silo { get; private set; } = "";

    protected NodeId Self { get; private set; }

    /// <summary>The node while this peer is a member; null before it joins and after it failed, left or stopped.</summary>
    protected TNode? Current { get; set; }

    /// <summary>The node, or the answer every caller of a non-member gets: it is not a member (a dead hop for them).</summary>
    protected TNode Node => Current ?? throw new PeerUnreachableException($"{Protocol} peer {ShortSelf} of '{Overlay}' is not a member");

    protected PeerCalls<TPeer> Calls => _calls ??= new PeerCalls<TPeer>(Protocol, Peer, () => Current, _callOptions, _time);

    protected IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Overlay);

    /// <summary>This peer's id as the not-a-member error shows it.</summary>
    protected virtual string ShortSelf => Self.ToHex()[..8];

    private DurablePeerStorage<TNode, TRecord, TMarker> Storage =>
        _storage ??= new(_slot ?? throw new InvalidOperationException("the storage slot is read first"), _serializer, () => Current, n => n.Parameters.IsDurable, ToRecord, Marker, _sameMarker);

    /// <summary>A slot of this peer's record (same name and key as a [PersistentState] slot of the protocol), not yet read.</summary>
    private StateStorageBridge<StoredBlob> NewSlot() =>
        new(Protocol, GrainContext, GrainContext.ActivationServices.GetRequiredKeyedService<IGrainStorage>(P2PStorage.Name));

    /// <summary>The slot, read from storage when this activation dropped it (a volatile peer that now holds a durable node).</summary>
    private async Task<DurablePeerStorage<TNode, TRecord, TMarker>> StorageAsync()
    {
        if (_slot is null)
        {
            var slot = NewSlot();
            await slot.ReadStateAsync();
            _slot ??= slot;
        }

        return Storage;
    }

    protected TPeer Peer(NodeId id) => GrainReferences.Peer<TPeer>(GrainFactory, Overlay, id);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (overlay, self) = PeerKeys.Parse(this.GetPrimaryKeyString());
        (Overlay, Self) = (string.Intern(overlay), self); // one copy of the overlay's name, not one per peer
        Silo = string.Intern(GrainContext.Address.SiloAddress?.ToString() ?? "");
        var slot = NewSlot();
        await slot.ReadStateAsync();
        if (!slot.RecordExists)
        {
            return; // nothing stored: the slot is dropped (made again if the node turns out durable)
        }

        _slot = slot;
        if (Storage.Read() is { } record && Restore(record) is { } node)
        {
            // A durable peer whose silo crashed (or that was collected) comes back as the member it was.
            Current = node;
            Storage.Restored(node);
            StartMembership(node);
            Logger.LogInformation("{Protocol} peer {Peer} of {Overlay} restored on {Silo}: {Summary}", Protocol, node.Parameters.Space.Format(Self), Overlay, Silo, RestoredSummary(node));
        }
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(Current is not null);

    /// <summary>Crash: state dropped, nothing handed over; the record is deleted and the registry told.</summary>
    public async Task FailAsync()
    {
        var node = Node;
        Stop();
        await ForgetStoredAsync(node);
        await Registry.RemoveMemberAsync(Self);
    }

    /// <summary>Stops the peer without any protocol action (overlay deleted).</summary>
    public async Task StopAsync()
    {
        if (Current is { } node)
        {
            Stop();
            await ForgetStoredAsync(node);
        }
    }

    /// <summary>One round of the protocol's periodic work (stepped by the registry, or by the live clock).</summary>
    public abstract Task TickAsync(long round);

    /// <summary>The node rebuilt from a durable record, or null when the record is not a durable member's.</summary>
    protected abstract TNode? Restore(TRecord record);

    protected abstract TRecord ToRecord(TNode node);

    /// <summary>What a durable peer must have written: the protocol's rule for which changes are worth a storage write.</summary>
    protected abstract TMarker Marker(TNode node);

    /// <summary>What the restore log line says of the node (keys, files...).</summary>
    protected virtual string RestoredSummary(TNode node) => "";

    /// <summary>Called by <see cref="Stop"/> before the node is dropped.</summary>
    protected virtual void OnStopping(TNode node)
    {
    }

    /// <summary>A new member: its live clock starts and it is counted as active.</summary>
    protected void StartMembership(TNode node)
    {
        StartClock(node);
        P2PTelemetry.ActivePeers.Add(1);
    }

    /// <summary>
    /// Writes the node if it is durable and its marker moved (one coalesced write per operation; the
    /// task completes once the change is in storage). Volatile peers return at once: no storage writes at all.
    /// </summary>
    protected async Task PersistAsync(TNode node)
    {
        if (node.Parameters.IsDurable)
        {
            await (await StorageAsync()).PersistAsync(node);
        }
    }

    /// <summary>A durable peer that fails, leaves or is stopped deletes its record, so it does not come back.</summary>
    protected async Task ForgetStoredAsync(TNode node)
    {
        if (node.Parameters.IsDurable)
        {
            await (await StorageAsync()).ForgetAsync(node);
        }
    }

    /// <summary>Drops the node, stops the clock; the activation goes once idle.</summary>
    protected void Stop()
    {
        if (Current is { } node)
        {
            OnStopping(node);
        }

        Current = null;
        _timer?.Dispose();
        _timer = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }

    private void StartClock(TNode node)
    {
        if (node.Parameters.Clock != ClockMode.Live)
        {
            return;
        }

        var period = TimeSpan.FromMilliseconds(node.Parameters.PeriodMs);
        _timer = this.RegisterGrainTimer(
            static (self, _) => self.Current is null ? Task.CompletedTask : self.TickAsync(0),
            this,
            new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }
}
