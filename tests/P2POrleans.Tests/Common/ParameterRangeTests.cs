using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.FastTrack;
using P2POrleans.Gnutella;
using P2POrleans.Kelips;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Tests.Common;

/// <summary>The one range check of the parameters records: its bounds, what 0 may mean, and the lines every protocol's create prints.</summary>
public sealed class ParameterRangeTests
{
    [Theory]
    [InlineData(1L, true)]
    [InlineData(64L, true)]
    [InlineData(0L, false)]
    [InlineData(65L, false)]
    public void A_value_is_accepted_exactly_within_its_bounds(long value, bool accepted)
    {
        Assert.Equal(accepted, ParameterRange.Check("fanout", value, 1, 64) is null);
    }

    [Fact]
    public void Zero_is_accepted_only_where_it_has_a_meaning()
    {
        Assert.Null(ParameterRange.Check("groups", 0, 1, 100_000, zero: "for ceil(sqrt(expected))"));
        Assert.Equal("groups must be between 1 and 100,000, or 0 for ceil(sqrt(expected)) (got -1)", ParameterRange.Check("groups", -1, 1, 100_000, zero: "for ceil(sqrt(expected))"));
        Assert.Equal("contacts must be between 1 and 64 (got 0)", ParameterRange.Check("contacts", 0, 1, 64));
    }

    [Fact]
    public void Every_protocol_words_its_range_problems_as_before_one_line_each_in_order()
    {
        Assert.Equal(
            ["bits must be between 1 and 160 (got 0)", "successors must be between 1 and 64 (got 65)", "vnodes must be between 1 and 64 (got 0)"],
            new ChordParameters { Bits = 0, Successors = 65, VirtualNodes = 0 }.Validate());
        Assert.Equal(
            [
                "member timeout must be between 2 and 1,000,000 rounds (got 1)",
                "contact suspect time must be between 1 and 1,000,000 rounds, or 0 for never (got -1)",
                "parallel ticks must be between 1 and 4,096 (got 5000)",
                "bits must be between 8 and 160 (got 7)",
            ],
            new KelipsParameters { MemberTimeoutRounds = 1, ContactSuspectRounds = -1, ParallelTicks = 5000, Bits = 7 }.Validate());
        Assert.Equal(["introducer capacity must be between 1 and 100,000 (got 0)"], new NapsterParameters { IntroducerCapacity = 0 }.Validate());
        Assert.Equal(["connections must be between 1 and 64 (got 65)"], new GnutellaParameters { Connections = 65 }.Validate());
        Assert.Equal(["max children must be between 1 and 100,000 (got 0)"], new FastTrackParameters { MaxChildren = 0 }.Validate());
        Assert.Equal(
            ["peers must be between 2 and 200,000 (got 1)", "a random regular graph needs 1 <= degree < peers and peers * degree even (got 1 peers, degree 4)", "titles must be between 1 and 1,000,000 (got 0)"],
            new GnutellaParameters { Topology = TopologyKind.Random, Peers = 1, Titles = 0 }.Validate());
    }

    [Fact]
    public void Valid_defaults_have_no_problem()
    {
        Assert.Empty(new ChordParameters().Validate());
        Assert.Empty(new KelipsParameters().Validate());
        Assert.Empty(new NapsterParameters().Validate());
        Assert.Empty(new GnutellaParameters().Validate());
        Assert.Empty(new FastTrackParameters().Validate());
    }
}
