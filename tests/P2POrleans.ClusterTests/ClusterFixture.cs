using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.TestingHost;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.ClusterTests;

/// <summary>
/// A 3-silo TestCluster shared by a test collection (deploying one takes seconds), with the
/// project's silo configuration and fast failure detection, plus an in-memory span exporter.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private TracerProvider? _tracer;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>Every span the silos exported (they run in this process).</summary>
    public List<Activity> Spans { get; } = [];

    public async ValueTask InitializeAsync()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(P2PTelemetry.Name, "Microsoft.Orleans.Application")
            .AddInMemoryExporter(Spans)
            .Build();
        var builder = new TestClusterBuilder(3);
        await ConfigureAsync(builder);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        // Barrier: membership lists every silo as active before any test places a grain. Deployed
        // silos can still be joining; placement then sees the primary alone and puts every grain
        // there (once all 100 registries a silo-kill test tried, CI of 2026-11-25).
        await SiloKill.WaitForActiveSilosAsync(Cluster, Cluster.GetActiveSilos().Count());
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _tracer?.Dispose();
        await CleanupAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs before the project's silo configuration: a fixture can register its own storage (Redis) here.</summary>
    protected virtual ValueTask ConfigureAsync(TestClusterBuilder builder) => ValueTask.CompletedTask;

    /// <summary>Runs after the cluster stopped (e.g. stops a private Redis).</summary>
    protected virtual ValueTask CleanupAsync() => ValueTask.CompletedTask;

    /// <summary>Spans of one trace, copied under the exporter's lock.</summary>
    public List<Activity> SpansOf(ActivityTraceId trace)
    {
        lock (Spans)
        {
            return Spans.Where(s => s.TraceId == trace).ToList();
        }
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddP2POrleans();
            siloBuilder.Services.Configure<ClusterMembershipOptions>(o =>
            {
                // Detect a killed silo in a few seconds (explicitly awaited by the tests, never slept on).
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddActivityPropagation();
    }
}

/// <summary>The shared cluster for tests that do not kill silos.</summary>
[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "shared cluster";
}

/// <summary>A cluster of its own for the tests that kill silos (each collection gets its own fixture instance).</summary>
[CollectionDefinition(Name)]
public sealed class KillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "killable cluster";
}
