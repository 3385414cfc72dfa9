using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using P2POrleans.Hosting;
using StackExchange.Redis;

namespace P2POrleans.Client.ClusterDemo;

/// <summary>
/// When membership declares a silo dead, read where Orleans keeps it: the silo's entry in the Redis
/// membership hash (<see cref="P2PClustering.MembershipKey"/>) turns to status Dead, as
/// `scripts/cluster status` shows it (docs/cluster.md). Reading Redis, not a grain, keeps the watch
/// off the silo that died.
/// </summary>
public sealed partial class DeathWatch : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly ConnectionMultiplexer _redis;
    private readonly string _key;
    private readonly string _silo;

    private DeathWatch(ConnectionMultiplexer redis, string key, string silo)
    {
        _redis = redis;
        _key = key;
        _silo = silo;
    }

    /// <summary>Connects to the cluster's Redis to watch <paramref name="silo"/> (this generation of it).</summary>
    public static async Task<DeathWatch> ConnectAsync(ClusteringSettings settings, SiloAddress silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(silo);
        var redis = await ConnectionMultiplexer.ConnectAsync(settings.RedisConnection!).WaitAsync(cancellationToken);
        return new DeathWatch(redis, P2PClustering.MembershipKey(settings), silo.ToParsableString());
    }

    /// <summary>Polls until the silo's entry says Dead; returns <paramref name="clock"/>'s time then. Fails after <paramref name="bound"/>.</summary>
    public async Task<TimeSpan> WatchAsync(Stopwatch clock, TimeSpan bound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var database = _redis.GetDatabase();
        var dead = ((int)SiloStatus.Dead).ToString(CultureInfo.InvariantCulture);
        while (clock.Elapsed < bound)
        {
            foreach (var entry in await database.HashGetAllAsync(_key).WaitAsync(cancellationToken))
            {
                var text = entry.Value.ToString();
                // The entry's first address is the silo's own (others, such as suspecters, come later).
                if (Address().Match(text) is { Success: true } address && address.Groups[1].Value == _silo
                    && Status().Match(text) is { Success: true } status && status.Groups[1].Value == dead)
                {
                    return clock.Elapsed;
                }
            }

            await Task.Delay(Poll, cancellationToken);
        }

        throw new CliException($"membership had not declared the killed silo dead {bound.TotalSeconds:0} s after the kill");
    }

    public ValueTask DisposeAsync() => _redis.DisposeAsync();

    [GeneratedRegex("\"SiloAddress\":\"([^\"]+)\"")]
    private static partial Regex Address();

    [GeneratedRegex("\"Status\":([0-9]+)")]
    private static partial Regex Status();
}
