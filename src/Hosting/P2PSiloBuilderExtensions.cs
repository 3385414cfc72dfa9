using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using P2POrleans.Common;

namespace P2POrleans.Hosting;

/// <summary>The silo configuration every host shares: the Silo program, the client's --embedded silo and the test clusters.</summary>
public static class P2PSiloBuilderExtensions
{
    public static ISiloBuilder AddP2POrleans(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorageAsDefault();
        silo.AddMemoryGrainStorage("PubSubStore");
        if (!silo.Services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, P2PStorage.Name)))
        {
            // Durable overlays' peer state; a host that configured real storage under this name (Redis) keeps it.
            silo.AddMemoryGrainStorage(P2PStorage.Name);
        }

        // Lookup spans started in a grain continue across grain calls (docs/architecture.md, tracing).
        silo.AddActivityPropagation();

        // A replica of every overlay's registry on each silo, read by the catalog (docs/cluster.md).
        silo.Services.AddSingleton<OverlayReplicaStore>();
        silo.Services.AddSingleton<IOverlayReplicaClient, OverlayReplicaClient>();
        silo.Services.AddSingleton<OverlayReplicas>();
        silo.AddGrainService<OverlayReplicaService>();

        silo.Services.Configure<GrainCollectionOptions>(options =>
        {
            // Peers are [CollectionAgeLimit(AlwaysActive = true)]; anything else may go after an hour idle.
            options.CollectionAge = TimeSpan.FromHours(1);
        });

        // The per-call timeout of peer-to-peer messages (PeerCalls); a host binds it from configuration.
        silo.Services.AddOptions<PeerCallOptions>();
        silo.Services.TryAddSingleton(TimeProvider.System);

        silo.Services.Configure<SiloMessagingOptions>(options =>
        {
            // Calls to a dead silo fail through membership, not this timeout; it only bounds a call
            // that hangs. Whole-overlay operations (a step over 10^4 peers) need well over 30 s.
            options.ResponseTimeout = TimeSpan.FromMinutes(5);
        });
        return silo;
    }
}
