namespace P2POrleans.FastTrack;

/// <summary>
/// A peer's reputation (docs/fasttrack.md, reputation): it grows with time connected and bytes uploaded,
/// and once high enough the peer becomes a supernode. Time connected counts the current session
/// only: a peer that leaves is demoted and starts over when it comes back, while its upload record
/// stays. Time is injected.
/// </summary>
public sealed class Reputation
{
    private TimeSpan? _connectedSince;

    public Reputation(ReputationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.DemotionThreshold > policy.PromotionThreshold)
        {
            throw new ArgumentException("the demotion threshold must not exceed the promotion threshold", nameof(policy));
        }

        Policy = policy;
    }

    public ReputationPolicy Policy { get; }

    public bool IsOnline => _connectedSince is not null;

    public bool IsSupernode { get; private set; }

    public long BytesUploaded { get; private set; }

    public TimeSpan Uptime(TimeSpan now) => _connectedSince is { } since && now > since ? now - since : TimeSpan.Zero;

    public double Score(TimeSpan now) =>
        (Uptime(now).TotalHours * Policy.PointsPerHourConnected)
        + (BytesUploaded / (1024.0 * 1024.0) * Policy.PointsPerMegabyteUploaded);

    public void Connect(TimeSpan now) => _connectedSince ??= now;

    public void RecordUpload(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        BytesUploaded += bytes;
    }

    /// <summary>Promotes an online ordinary peer at or above the promotion threshold; demotes a supernode below the demotion threshold.</summary>
    public RoleChange Evaluate(TimeSpan now)
    {
        if (!IsOnline)
        {
            return RoleChange.None;
        }

        var score = Score(now);
        if (!IsSupernode && score >= Policy.PromotionThreshold)
        {
            IsSupernode = true;
            return RoleChange.Promoted;
        }

        if (IsSupernode && score < Policy.DemotionThreshold)
        {
            IsSupernode = false;
            return RoleChange.Demoted;
        }

        return RoleChange.None;
    }

    /// <summary>The peer disconnects: its session ends and a supernode is demoted.</summary>
    public RoleChange Leave()
    {
        _connectedSince = null;
        if (!IsSupernode)
        {
            return RoleChange.None;
        }

        IsSupernode = false;
        return RoleChange.Demoted;
    }
}
