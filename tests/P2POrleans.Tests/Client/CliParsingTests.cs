using FsCheck.Xunit;
using P2POrleans.Client;
using P2POrleans.Client.Commands;

namespace P2POrleans.Tests.Client;

/// <summary>Argument handling that needs no cluster: the repl's word splitting and parse errors.</summary>
public sealed class CliParsingTests
{
    [Theory]
    [InlineData("chord put r key value", new[] { "chord", "put", "r", "key", "value" })]
    [InlineData("chord put r \"two words\" 'it''s'", new[] { "chord", "put", "r", "two words", "its" })]
    [InlineData("  chord   check\tr  ", new[] { "chord", "check", "r" })]
    [InlineData("chord put r k \"\"", new[] { "chord", "put", "r", "k", "" })]
    public void Repl_lines_split_into_words_with_quotes(string line, string[] expected) =>
        Assert.Equal(expected, ReplCommand.Split(line));

    [Fact]
    public void An_unterminated_quote_is_bad_input() =>
        Assert.Throws<CliException>(() => ReplCommand.Split("chord put r \"oops"));

    [Theory]
    [InlineData("chord", "create")]
    [InlineData("chord", "create", "r", "--bits")]
    [InlineData("chord", "create", "r", "--bits", "x")]
    [InlineData("chord", "join", "r", "--count", "many")]
    [InlineData("nonsense")]
    [InlineData("chord", "lookup", "r", "k", "extra", "words")]
    [InlineData("--gateway-port", "70000", "list")]
    [InlineData("--trace", "jaeger", "list")]
    [InlineData("--clustering", "zookeeper", "list")]
    [InlineData("--clustering", "redis", "list")]
    [InlineData("--gateway", "30000,abc", "list")]
    [InlineData("--cluster-id", "a/b", "list")]
    [InlineData("--redis-connection", "127.0.0.1:6379", "list")]
    [InlineData("demo", "--only", "nope")]
    [InlineData("demo", "--only", ",")]
    [InlineData("demo", "--cluster", "--kill-silo", "4")]
    [InlineData("demo", "--kill-silo", "2")]
    [InlineData("demo", "--only", "cluster", "--web")]
    [InlineData("host-silo", "--silo-port", "1", "--gateway-port", "2")]
    public async Task Parse_errors_give_one_line_and_exit_2_without_connecting(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        // The gateway port is one nothing listens on: a parse error must be reported before any connection.
        var code = await P2PCli.RunAsync([.. args, "--gateway-port", "1"], output, error, TestContext.Current.CancellationToken);
        Assert.Equal(2, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--clustering", "redis", "--redis-connection", "127.0.0.1:1", "list")]
    [InlineData("--gateway", "1,2", "list")]
    public async Task An_unreachable_cluster_is_one_line_and_exit_3(params string[] args)
    {
        var error = new StringWriter();
        var code = await P2PCli.RunAsync(args, new StringWriter(), error, TestContext.Current.CancellationToken);
        Assert.Equal(P2PCli.Unavailable, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Matches("^error: (cannot reach Redis|no silo reachable)", lines[0]);
    }

    /// <summary>Fuzz: arbitrary words never crash the parser with anything but a clean exit code.</summary>
    [Property(MaxTest = 1000)]
    public bool Arbitrary_arguments_never_throw(string[] words)
    {
        var args = (words ?? []).Where(w => w is not null).Prepend("chord").Append("--gateway-port").Append("1").ToArray();
        var error = new StringWriter();
        var code = P2PCli.RunAsync(args, new StringWriter(), error).GetAwaiter().GetResult();
        return code is 0 or 1 or 2 or 3 && (code == 0 || error.ToString().StartsWith("error: ", StringComparison.Ordinal));
    }
}
