using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using P2POrleans.Common;
using P2POrleans.Hosting;
using StackExchange.Redis;

namespace P2POrleans.Bench;

/// <summary>A 3-silo test cluster (fast failure detection) with the durable storage in memory or in a private Redis.</summary>
public static class DurabilityCluster
{
    private const string RedisKey = "P2PBench:Redis";

    public static async Task<TestCluster> StartAsync(string? redis)
    {
        var builder = new TestClusterBuilder(3);
        if (redis is not null)
        {
            builder.Properties[RedisKey] = redis;
            builder.AddSiloBuilderConfigurator<RedisConfigurator>();
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public sealed class RedisConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddRedisGrainStorage(P2PStorage.Name, o =>
            {
                o.ConfigurationOptions = ConfigurationOptions.Parse(siloBuilder.Configuration[RedisKey]!);
                o.DeleteStateOnClear = true;
            });
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddP2POrleans();
            siloBuilder.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }
}
