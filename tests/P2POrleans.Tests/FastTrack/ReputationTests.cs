using P2POrleans.FastTrack;

namespace P2POrleans.Tests.FastTrack;

public sealed class ReputationTests
{
    private static readonly ReputationPolicy Policy = new()
    {
        PointsPerHourConnected = 1,
        PointsPerMegabyteUploaded = 0.5,
        PromotionThreshold = 4,
        DemotionThreshold = 2,
    };

    private static TimeSpan Hours(double h) => TimeSpan.FromHours(h);

    [Fact]
    public void Uptime_promotes_a_peer_to_supernode_at_the_threshold()
    {
        var r = new Reputation(Policy);
        r.Connect(Hours(1));
        Assert.Equal(RoleChange.None, r.Evaluate(Hours(4.9)));
        Assert.False(r.IsSupernode);
        Assert.Equal(RoleChange.Promoted, r.Evaluate(Hours(5)));
        Assert.True(r.IsSupernode);
        Assert.Equal(RoleChange.None, r.Evaluate(Hours(6)));
    }

    [Fact]
    public void Uploads_count_towards_promotion()
    {
        var r = new Reputation(Policy);
        r.Connect(TimeSpan.Zero);
        r.RecordUpload(6 * 1024 * 1024);
        Assert.Equal(3.0, r.Score(TimeSpan.Zero));
        Assert.Equal(RoleChange.Promoted, r.Evaluate(Hours(1)));
    }

    [Fact]
    public void Leaving_demotes_and_the_next_session_starts_its_uptime_from_zero()
    {
        var r = new Reputation(Policy);
        r.Connect(TimeSpan.Zero);
        r.RecordUpload(2 * 1024 * 1024);
        Assert.Equal(RoleChange.Promoted, r.Evaluate(Hours(10)));
        Assert.Equal(RoleChange.Demoted, r.Leave());
        Assert.False(r.IsSupernode);
        Assert.False(r.IsOnline);
        Assert.Equal(RoleChange.None, r.Evaluate(Hours(20)));
        r.Connect(Hours(20));
        Assert.Equal(1.0, r.Score(Hours(20))); // the uploads are remembered, the uptime is not
        Assert.Equal(RoleChange.None, r.Evaluate(Hours(22.9)));
        Assert.Equal(RoleChange.Promoted, r.Evaluate(Hours(23)));
    }

    [Fact]
    public void Demotion_below_the_lower_threshold_only()
    {
        var policy = Policy with { PromotionThreshold = 1, DemotionThreshold = 0.5 };
        var r = new Reputation(policy);
        r.Connect(TimeSpan.Zero);
        Assert.Equal(RoleChange.Promoted, r.Evaluate(Hours(1)));
        Assert.Throws<ArgumentException>(() => new Reputation(policy with { DemotionThreshold = 2 }));
    }
}
