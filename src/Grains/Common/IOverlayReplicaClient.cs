using Orleans.Services;

namespace P2POrleans.Common;

/// <summary>Reaches the overlay replica of a given silo.</summary>
public interface IOverlayReplicaClient : IGrainServiceClient<IOverlayReplicaService>
{
    IOverlayReplicaService On(SiloAddress silo);
}
