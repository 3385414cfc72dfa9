using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// One peer of the in-memory ring (<see cref="ChordTestRing"/>): it answers the protocol's messages
/// from its node exactly as the peer grain does (without the durable writes), and like a grain
/// call answers with a faulted task (<see cref="PeerUnreachableException"/>) once it crashed or left.
/// </summary>
internal sealed class ChordTestPeer : IChordPeer
{
    public ChordNode? Node { get; set; }

    /// <summary>Its silo does not answer: every message times out (the node keeps its state).</summary>
    public bool Hung { get; set; }

    /// <summary>
    /// Awaited before each answer when set: other work of the test may run meanwhile (a reentrant grain
    /// interleaves its calls at every await), so messages of concurrent operations meet as in a silo.
    /// </summary>
    public Func<Task>? Pause { get; set; }

    public Task<ChordNextStep> FindNextAsync(NodeId key, IReadOnlyList<NodeId> exclude) => Answer(n => n.FindNext(key, exclude));

    public Task<ChordRoute> RouteAsync(NodeId key, int hopIndex, NodeId initiator) => Run(n => ChordLookup.RouteAsync(n, key, hopIndex, initiator));

    public Task<ChordNeighbours> GetNeighboursAsync() => Answer(n => n.Neighbours());

    public Task<ChordNotifyResult> NotifyAsync(NodeId candidate) => Answer(n => n.Notify(candidate));

    public Task PingAsync() => Answer(n => n);

    public Task StabilizeAsync() => Run(async n =>
    {
        await ChordMaintenance.StabilizeAsync(n);
        return true;
    });

    public Task SuccessorLeavingAsync(NodeId leaving, IReadOnlyList<NodeId> successors) => Answer(n =>
    {
        n.SuccessorLeaving(leaving, successors);
        return true;
    });

    public Task PredecessorLeavingAsync(NodeId leaving, NodeId? predecessor, IReadOnlyList<StoredItem> keys) => Answer(n =>
    {
        n.PredecessorLeaving(leaving, predecessor, keys);
        return true;
    });

    public Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item, bool asOwner) => Run(async n =>
    {
        if (!asOwner)
        {
            n.Take([item]);
            return (IReadOnlyList<NodeId>)[n.Self];
        }

        return await ChordReplication.CopyAsync(n, n.StoreAsOwner(item));
    });

    public Task StoreReplicasAsync(IReadOnlyList<StoredItem> items) => Answer(n =>
    {
        n.Take(items);
        return true;
    });

    public Task<string?> ReadLocalAsync(string key) => Answer(n => n.Store.Get(key));

    private Task<T> Answer<T>(Func<ChordNode, T> answer) => Pause is null ? AnswerNow(answer) : AnswerLaterAsync(answer);

    private Task<T> Run<T>(Func<ChordNode, Task<T>> answer) => Pause is null ? RunNow(answer) : RunLaterAsync(answer);

    private async Task<T> AnswerLaterAsync<T>(Func<ChordNode, T> answer)
    {
        await Pause!();
        return await AnswerNow(answer);
    }

    private async Task<T> RunLaterAsync<T>(Func<ChordNode, Task<T>> answer)
    {
        await Pause!();
        return await RunNow(answer);
    }

    private Task<T> AnswerNow<T>(Func<ChordNode, T> answer) =>
        Hung ? Task.FromException<T>(new TimeoutException()) : Node is { } node ? Task.FromResult(answer(node)) : Task.FromException<T>(new PeerUnreachableException("not a member"));

    private Task<T> RunNow<T>(Func<ChordNode, Task<T>> answer) =>
        Hung ? Task.FromException<T>(new TimeoutException()) : Node is { } node ? answer(node) : Task.FromException<T>(new PeerUnreachableException("not a member"));
}
