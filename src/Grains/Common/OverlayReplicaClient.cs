using Orleans.Runtime.Services;

namespace P2POrleans.Common;

/// <summary>Orleans' grain-service client, used to address the replica of one silo by its address.</summary>
public sealed class OverlayReplicaClient(IServiceProvider services)
    : GrainServiceClient<IOverlayReplicaService>(services), IOverlayReplicaClient
{
    public IOverlayReplicaService On(SiloAddress silo) => GetGrainService(silo);
}
