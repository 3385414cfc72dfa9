using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace P2POrleans.Common;

/// <summary>The silo configuration every host shares: the Silo program, the client's --embedded silo and the test clusters.</summary>
public static class P2PSiloBuilderExtensions
{
    public static ISiloBuilder AddP2POrleans(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorageAsDefault();
        silo.AddMemoryGrainStorage("PubSubStore");

        // Lookup spans started in a grain continue across grain calls (DESIGN.md section 8).
        silo.AddActivityPropagation();

        silo.Services.Configure<GrainCollectionOptions>(options =>
        {
            // Peers are [CollectionAgeLimit(AlwaysActive = true)]; anything else may go after an hour idle.
            options.CollectionAge = TimeSpan.FromHours(1);
        });

        silo.Services.Configure<SiloMessagingOptions>(options =>
        {
            // A dead silo's calls fail after this long instead of 30 s; peers then treat the callee as dead.
            options.ResponseTimeout = TimeSpan.FromSeconds(10);
        });
        return silo;
    }
}
