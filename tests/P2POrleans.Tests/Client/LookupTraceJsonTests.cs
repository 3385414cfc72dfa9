using System.Text.Json;
using P2POrleans.Client;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Web.Api;

namespace P2POrleans.Tests.Client;

/// <summary>
/// `chord lookup --json`, `pastry lookup --json` and the web API's lookup answers share one base record
/// (<see cref="KeyLookupTrace"/>) and must stay byte-identical to what they printed before it: the
/// expected text below is the output of the code of before, for the same lookups (a found key and a
/// failed one; console and page forms).
/// </summary>
public sealed class LookupTraceJsonTests
{
    private const string Before = """
{
  "key": "apple",
  "key_id": "53438",
  "owner": "53441",
  "hops": 2,
  "path": [
    "4660",
    "49153",
    "53441"
  ],
  "latency_ms": 15.75,
  "messages": 4,
  "dead_hops_skipped": 1,
  "success": true,
  "error": null
}
{"key":"apple","key_id":"53438","owner":"53441","hops":2,"path":["4660","49153","53441"],"latency_ms":15.75,"messages":4,"dead_hops_skipped":1,"success":true,"error":null,"key_pos":0.815399169921875,"steps":[{"id":"4660","pos":0.07110595703125,"rtt_ms":0,"reason":"initiator"},{"id":"49153","pos":0.7500152587890625,"rtt_ms":12.25,"reason":"finger"},{"id":"53441","pos":0.8154449462890625,"rtt_ms":3.5,"reason":"successor"}]}
{
  "key": "apple",
  "key_id": "53438",
  "owner": "53441",
  "hops": 2,
  "path": [
    "4660",
    "49153",
    "53441"
  ],
  "digits": [
    0,
    0,
    2
  ],
  "reasons": [
    "initiator",
    "finger",
    "successor"
  ],
  "latency_ms": 15.75,
  "messages": 4,
  "dead_hops_skipped": 1,
  "success": true,
  "error": null
}
{"key":"apple","key_id":"53438","owner":"53441","hops":2,"path":["4660","49153","53441"],"digits":[0,0,2],"reasons":["initiator","finger","successor"],"latency_ms":15.75,"messages":4,"dead_hops_skipped":1,"success":true,"error":null,"key_digits":"d0be","key_pos":0.815399169921875,"digit_width":1,"steps":[{"id":"4660","pos":0.07110595703125,"digits":"1234","shared":0,"rtt_ms":0,"reason":"initiator"},{"id":"49153","pos":0.7500152587890625,"digits":"c001","shared":0,"rtt_ms":12.25,"reason":"finger"},{"id":"53441","pos":0.8154449462890625,"digits":"d0c1","shared":2,"rtt_ms":3.5,"reason":"successor"}]}
{
  "key": null,
  "key_id": "53438",
  "owner": null,
  "hops": 2,
  "path": [
    "4660",
    "49153",
    "53441"
  ],
  "latency_ms": 15.75,
  "messages": 4,
  "dead_hops_skipped": 1,
  "success": false,
  "error": "no answer"
}
{"key":"apple","key_id":"53438","owner":null,"hops":2,"path":["4660","49153","53441"],"latency_ms":15.75,"messages":4,"dead_hops_skipped":1,"success":false,"error":"no answer","key_pos":0.815399169921875,"steps":[{"id":"4660","pos":0.07110595703125,"rtt_ms":0,"reason":"initiator"},{"id":"49153","pos":0.7500152587890625,"rtt_ms":12.25,"reason":"finger"},{"id":"53441","pos":0.8154449462890625,"rtt_ms":3.5,"reason":"successor"}]}
{
  "key": null,
  "key_id": "53438",
  "owner": null,
  "hops": 2,
  "path": [
    "4660",
    "49153",
    "53441"
  ],
  "digits": [
    0,
    0,
    2
  ],
  "reasons": [
    "initiator",
    "finger",
    "successor"
  ],
  "latency_ms": 15.75,
  "messages": 4,
  "dead_hops_skipped": 1,
  "success": false,
  "error": "no answer"
}
{"key":"apple","key_id":"53438","owner":null,"hops":2,"path":["4660","49153","53441"],"digits":[0,0,2],"reasons":["initiator","finger","successor"],"latency_ms":15.75,"messages":4,"dead_hops_skipped":1,"success":false,"error":"no answer","key_digits":"d0be","key_pos":0.815399169921875,"digit_width":1,"steps":[{"id":"4660","pos":0.07110595703125,"digits":"1234","shared":0,"rtt_ms":0,"reason":"initiator"},{"id":"49153","pos":0.7500152587890625,"digits":"c001","shared":0,"rtt_ms":12.25,"reason":"finger"},{"id":"53441","pos":0.8154449462890625,"digits":"d0c1","shared":2,"rtt_ms":3.5,"reason":"successor"}]}
""";

    [Fact]
    public void Chord_and_pastry_lookup_json_of_the_console_and_the_page_are_the_same_bytes_as_before()
    {
        var chordSpace = new IdSpace(16);
        var pastry = new PastryParameters { Bits = 16, DigitBits = 4 };
        var lines = new List<string>();
        foreach (var ok in new[] { true, false })
        {
            lines.Add(JsonSerializer.Serialize<object>(LookupTrace.Of(chordSpace, Result(chordSpace, ok), ok ? "apple" : null), CliSession.JsonOptions));
            lines.Add(JsonSerializer.Serialize<object>(Traces.Lookup(chordSpace, Result(chordSpace, ok), "apple"), WebJson.Options));
            lines.Add(JsonSerializer.Serialize<object>(PastryLookupTrace.Of(pastry, Result(pastry.Space, ok), ok ? "apple" : null), CliSession.JsonOptions));
            lines.Add(JsonSerializer.Serialize<object>(Traces.PastryLookup(pastry, Result(pastry.Space, ok), "apple"), WebJson.Options));
        }

        Assert.Equal(Before.ReplaceLineEndings("\n"), string.Join("\n", lines).ReplaceLineEndings("\n"));
    }

    private static LookupResult Result(IdSpace space, bool ok) => new(
        space.Hash("apple"),
        NodeId.FromUInt64(0xd0c1),
        2,
        [new Hop(NodeId.FromUInt64(0x1234), 0, "initiator"), new Hop(NodeId.FromUInt64(0xc001), 12.25, "finger"), new Hop(NodeId.FromUInt64(0xd0c1), 3.5, "successor")],
        15.7504,
        ok,
        ok ? null : "no answer",
        4,
        1);
}
