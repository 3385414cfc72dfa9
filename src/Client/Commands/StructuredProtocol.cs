using P2POrleans.Client.Structured;
using P2POrleans.Common;

namespace P2POrleans.Client.Commands;

/// <summary>
/// What the shared structured verbs (<see cref="StructuredCommands"/>: join, leave, fail, step) need
/// from one protocol (Chord, Pastry, Kelips): its adapter, its own descriptions and how it reports the
/// peers that joined. The way Napster, Gnutella and FastTrack share <see cref="UnstructuredProtocol"/>.
/// </summary>
public sealed record StructuredProtocol<TParameters, TPeer>(
    IStructuredAdapter Adapter,
    string JoinDescription,
    string JoinCountDescription,
    string JoinConvergedDescription,
    Action<CliSession, TParameters, JoinedPeers> WriteJoined,
    string LeaveDescription,
    string RoundWork,
    string StepDescription)
    where TParameters : OverlayParameters
    where TPeer : IMemberPeer
{
    public string Name => Adapter.Protocol;
}
