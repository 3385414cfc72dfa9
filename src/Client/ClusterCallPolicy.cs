using System.Diagnostics;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using P2POrleans.Common;

namespace P2POrleans.Client;

/// <summary>
/// Bounded retries of the console's calls on the request path (reading an overlay, a lookup, get or
/// put from an initiator) with Polly: a failure that a later try may not meet (<see cref="ClusterFailure.IsTransient"/>,
/// or a result the caller calls unavailable) is tried again after an exponential, jittered backoff,
/// each try bounded by <see cref="AttemptTimeout"/>, all of them by <see cref="Budget"/>. What still
/// fails becomes one line in words with the tries made: "silo 127.0.0.1:22002 did not answer
/// (crashed?); 3 tries over 2.0 s" (docs/cluster.md, "A client that rides through faults").
/// </summary>
public sealed class ClusterCallPolicy
{
    /// <summary>Long enough to ride through a silo crash until membership declares it dead (a few seconds, docs/cluster.md).</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    public static ClusterCallPolicy Default { get; } = new(DefaultBudget, DefaultAttemptTimeout);

    private readonly TimeProvider _time;
    private readonly Func<double>? _randomizer;

    public ClusterCallPolicy(TimeSpan budget, TimeSpan attemptTimeout, TimeProvider? time = null, Func<double>? randomizer = null)
    {
        Budget = budget;
        AttemptTimeout = attemptTimeout < budget ? attemptTimeout : budget;
        _time = time ?? TimeProvider.System;
        _randomizer = randomizer;
    }

    /// <summary>All tries of one call together.</summary>
    public TimeSpan Budget { get; }

    /// <summary>One try.</summary>
    public TimeSpan AttemptTimeout { get; }

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>A policy with this budget (e.g. what remains of a command's --timeout), never longer than this one's.</summary>
    public ClusterCallPolicy WithBudget(TimeSpan budget) =>
        budget >= Budget ? this : new ClusterCallPolicy(budget, AttemptTimeout, _time, _randomizer);

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, fails for good, or the budget is spent; a result for
    /// which <paramref name="unavailable"/> gives a reason is retried like a transient failure, and the last
    /// such result is returned when the budget runs out (<see cref="Attempted{T}.Unavailable"/> says why).
    /// Throws <see cref="ClusterUnavailableException"/> when every try failed to reach the cluster.
    /// </summary>
    public async Task<Attempted<T>> RunAsync<T>(Func<CallAttempt, CancellationToken, Task<T>> call, CancellationToken cancellationToken, Func<T, string?>? unavailable = null)
    {
        var state = new CallAttempt();
        var start = _time.GetTimestamp();
        string? lastUnavailable = null;
        var last = default(T);
        var hasResult = false;
        var retry = new RetryStrategyOptions<T>
        {
            ShouldHandle = args => ValueTask.FromResult(!cancellationToken.IsCancellationRequested && (args.Outcome.Exception is { } e
                ? ClusterFailure.IsTransient(e) || e is PeerUnreachableException && state.AnotherInitiatorHelps
                : unavailable?.Invoke(args.Outcome.Result!) is not null)),
            MaxRetryAttempts = 100,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstDelay,
            MaxDelay = MaxDelay,
        };
        if (_randomizer is not null)
        {
            retry.Randomizer = _randomizer;
        }

        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = _time }
            .AddTimeout(Budget)
            .AddRetry(retry)
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = AttemptTimeout,
                OnTimeout = args =>
                {
                    state.Failed(new TimeoutRejectedException(args.Timeout));
                    return default;
                },
            })
            .Build();
        try
        {
            var result = await pipeline.ExecuteAsync(async token =>
            {
                state.Number++;
                try
                {
                    var value = await call(state, token);
                    lastUnavailable = unavailable?.Invoke(value);
                    (last, hasResult) = (value, true);
                    return value;
                }
                catch (Exception e) when (ClusterFailure.IsTransient(e) || e is PeerUnreachableException)
                {
                    state.Failed(e);
                    throw;
                }
            }, cancellationToken);
            return new Attempted<T>(result, state.Number, _time.GetElapsedTime(start), lastUnavailable);
        }
        catch (TimeoutRejectedException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The budget ran out. A call that kept answering "unavailable" returns that answer;
            // one that kept failing says what the tries met.
            if (hasResult && lastUnavailable is not null)
            {
                return new Attempted<T>(last!, state.Number, _time.GetElapsedTime(start), lastUnavailable);
            }

            var what = state.LastFailure is { } failure
                ? ClusterFailure.Describe(failure) ?? ClusterFailure.Words(failure.Message)
                : ClusterFailure.Describe(e)!;
            throw new ClusterUnavailableException($"{what}; {ClusterFailure.Tries(state.Number, _time.GetElapsedTime(start))}", e);
        }
        catch (Exception e) when (ClusterFailure.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterUnavailableException($"{ClusterFailure.Describe(e)}; {ClusterFailure.Tries(state.Number, _time.GetElapsedTime(start))}", e);
        }
    }
}

/// <summary>What a retried call returned, after how many tries; <see cref="Unavailable"/> is set when the last result was still unavailable.</summary>
public sealed record Attempted<T>(T Value, int Attempts, TimeSpan Elapsed, string? Unavailable)
{
    public string Tries => ClusterFailure.Tries(Attempts, Elapsed);
}

/// <summary>One call's tries so far: their number and the silos and peers that did not answer (a retry picks another initiator).</summary>
public sealed class CallAttempt
{
    private readonly List<string> _siloEndpoints = [];

    /// <summary>1 for the first try.</summary>
    public int Number { get; internal set; }

    public Exception? LastFailure { get; private set; }

    /// <summary>Endpoints ("127.0.0.1:22002") of silos a try could not reach.</summary>
    public IReadOnlyList<string> UnreachableSilos => _siloEndpoints;

    /// <summary>Set by a caller that picks its initiator itself: a peer that says it is not a member is then worth a retry with another one.</summary>
    public bool AnotherInitiatorHelps { get; set; }

    /// <summary>Peers the caller found unusable as initiators (not members, or on an unreachable silo).</summary>
    public HashSet<NodeId> BadInitiators { get; } = [];

    internal void Failed(Exception e)
    {
        LastFailure = e;
        if (ClusterFailure.SiloIn(e.Message) is { } endpoint && !_siloEndpoints.Contains(endpoint))
        {
            _siloEndpoints.Add(endpoint);
        }
    }
}
