using Orleans.Runtime;
using P2POrleans.Client;
using Polly.Timeout;

namespace P2POrleans.Tests.Client;

/// <summary>Failures to reach the cluster are told in words: which silo, never an exception type or a source path.</summary>
public sealed class ClusterFailureTests
{
    /// <summary>What Orleans 10 reported to the console when a silo process was SIGKILLed (first line of the exception, as printed before).</summary>
    public const string RejectionSeen =
        "Exception while sending message: Orleans.Runtime.Messaging.ConnectionFailedException: Unable to connect to S127.0.0.1:22002:155271730, "
        + "will retry after 525.7553ms at Orleans.Runtime.Messaging.ConnectionManager.GetConnectionAsync(SiloAddress endpoint) "
        + "in /_/src/Orleans.Core/Networking/ConnectionManager.cs:line 142";

    [Fact]
    public void A_silo_that_refuses_connections_is_named_by_its_endpoint()
    {
        var e = new Orleans.Runtime.Messaging.ConnectionFailedException(RejectionSeen);
        Assert.True(ClusterFailure.IsTransient(e));
        Assert.Equal("silo 127.0.0.1:22002 did not answer (crashed?)", ClusterFailure.Describe(e));
    }

    [Fact]
    public void A_silo_that_went_away_during_the_call_is_the_message_target_not_its_sender()
    {
        var e = new SiloUnavailableException("The target silo became unavailable for message: Request S127.0.0.1:22001:1*cli/x->S127.0.0.1:22004:77*grn/p2p/k #12. Target History is: S127.0.0.1:22004:77. See https://aka.ms/orleans-troubleshooting for troubleshooting help.");
        Assert.Equal("silo 127.0.0.1:22004 went away before answering (crashed?)", ClusterFailure.Describe(e));
    }

    [Theory]
    [InlineData("There are no available gateways.")]
    [InlineData("Unable to connect to any of the 3 available gateways.")]
    public void No_gateway_is_said_as_such(string message) =>
        Assert.Equal("no gateway of the cluster answers (are the silos up?)", ClusterFailure.Describe(new Orleans.Runtime.Messaging.ConnectionFailedException(message)));

    [Fact]
    public void A_hung_silo_is_a_timeout_with_its_bound()
    {
        Assert.Equal("no answer within 2.5 s (silo hung or overloaded?)", ClusterFailure.Describe(new TimeoutRejectedException(TimeSpan.FromSeconds(2.5))));
        Assert.True(ClusterFailure.IsTransient(new TimeoutException()));
    }

    [Fact]
    public void Protocol_and_input_errors_are_not_failures_to_reach_the_cluster()
    {
        Assert.Null(ClusterFailure.Describe(new P2POrleans.Common.P2PException("no overlay named 'x'")));
        Assert.False(ClusterFailure.IsTransient(new P2POrleans.Common.P2PException("no overlay named 'x'")));
        Assert.False(ClusterFailure.IsTransient(new InvalidOperationException("bug")));
    }

    [Theory]
    [InlineData(RejectionSeen, "Exception while sending message: Unable to connect to S127.0.0.1:22002:155271730, will retry after 525.7553ms")]
    [InlineData("System.InvalidOperationException: Sequence contains no elements", "Sequence contains no elements")]
    [InlineData("bad thing happened in /home/x/src/A.cs:line 12\n   at Foo.Bar()", "bad thing happened")]
    public void Words_drop_type_names_stack_frames_and_source_paths(string message, string expected)
    {
        var words = ClusterFailure.Words(message);
        Assert.Equal(expected, words);
        Assert.DoesNotContain("Exception:", words, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs", words, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0.04, "1 try over 0.0 s")]
    [InlineData(3, 2.0, "3 tries over 2.0 s")]
    public void Tries_are_counted_in_words(int attempts, double seconds, string expected) =>
        Assert.Equal(expected, ClusterFailure.Tries(attempts, TimeSpan.FromSeconds(seconds)));
}
