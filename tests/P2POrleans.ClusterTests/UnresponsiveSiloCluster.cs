using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests;

/// <summary>
/// A 3-silo cluster whose peers give up on a peer call after <see cref="CallTimeout"/>, and in which a
/// test can make one silo stop answering peer messages (<see cref="Freeze"/>): calls to the peers
/// there are accepted and never answered, as with a hung or partitioned silo, while membership still
/// sees the silo alive (so nothing but the call policy's timeout can get a caller unstuck).
/// </summary>
public sealed class UnresponsiveSiloClusterFixture : ClusterFixture
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);

    private static readonly ConcurrentDictionary<SiloAddress, TaskCompletionSource> Frozen = new();

    /// <summary>Holds every peer message that reaches <paramref name="silo"/> until the returned handle is disposed.</summary>
    public static IDisposable Freeze(SiloAddress silo)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Frozen[silo] = gate;
        return new Thaw(silo, gate);
    }

    protected override ValueTask ConfigureAsync(TestClusterBuilder builder)
    {
        builder.AddSiloBuilderConfigurator<Configurator>();
        return ValueTask.CompletedTask;
    }

    private sealed class Thaw(SiloAddress silo, TaskCompletionSource gate) : IDisposable
    {
        public void Dispose()
        {
            Frozen.TryRemove(silo, out _);
            gate.TrySetResult();
        }
    }

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.Configure<PeerCallOptions>(o => o.CallTimeout = CallTimeout);
            siloBuilder.AddIncomingGrainCallFilter<FreezeFilter>();
        }
    }

    /// <summary>Per silo: a peer message to a frozen silo waits until it thaws.</summary>
    private sealed class FreezeFilter(ILocalSiloDetails silo) : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is IOverlayPeer && Frozen.TryGetValue(silo.SiloAddress, out var gate))
            {
                await gate.Task;
            }

            await context.Invoke();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class UnresponsiveSiloCluster : ICollectionFixture<UnresponsiveSiloClusterFixture>
{
    public const string Name = "unresponsive silo cluster";
}
