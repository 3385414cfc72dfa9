using System.Globalization;
using System.Text.Json;

namespace P2POrleans.Web.Api;

/// <summary>
/// A request's JSON object, read field by field with the checks a user needs in words: a wrong type
/// or an out-of-range number is a 400 naming the field, never a parser exception.
/// </summary>
public sealed class RequestBody
{
    private const int MaxBytes = 1 << 20;
    private readonly JsonElement _root;

    private RequestBody(JsonElement root) => _root = root;

    public static RequestBody Empty { get; } = new(JsonDocument.Parse("{}").RootElement.Clone());

    public static async Task<RequestBody> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Body.CanSeek && request.Headers.TransferEncoding.Count == 0))
        {
            return Empty;
        }

        if (request.ContentLength > MaxBytes)
        {
            throw new WebProblem(StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {MaxBytes / 1024} KiB");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new RequestBody(document.RootElement.Clone())
                : throw new WebProblem("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new WebProblem($"the request body is not valid JSON ({e.Message.Split('.')[0]})");
        }
    }

    public static RequestBody Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new RequestBody(document.RootElement.Clone());
    }

    public bool Has(string field) => _root.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string field, int maxLength = 4096)
    {
        if (!_root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new WebProblem($"'{field}' must be a string"),
        };
        return text.Length <= maxLength ? text : throw new WebProblem($"'{field}' is longer than {maxLength} characters");
    }

    public long? Long(string field, long min, long max)
    {
        if (!_root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        long value;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            value = n;
        }
        else if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s))
        {
            value = s;
        }
        else
        {
            throw new WebProblem($"'{field}' must be a whole number");
        }

        return value >= min && value <= max
            ? value
            : throw new WebProblem($"'{field}' must be between {min.ToString("N0", CultureInfo.InvariantCulture)} and {max.ToString("N0", CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)})");
    }

    public int? Int(string field, int min, int max) => (int?)Long(field, min, max);

    /// <summary>The "seed" field: any whole number, 1 when absent, as the console's --seed (docs/web.md).</summary>
    public long Seed() => Long("seed", long.MinValue, long.MaxValue) ?? 1;

    public double? Double(string field, double min, double max)
    {
        if (!_root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        double value;
        if (v.ValueKind == JsonValueKind.Number)
        {
            value = v.GetDouble();
        }
        else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
        {
            value = s;
        }
        else
        {
            throw new WebProblem($"'{field}' must be a number");
        }

        return value >= min && value <= max && !double.IsNaN(value)
            ? value
            : throw new WebProblem($"'{field}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)})");
    }

    public bool? Bool(string field)
    {
        if (!_root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => throw new WebProblem($"'{field}' must be true or false"),
        };
    }

    /// <summary>One of the allowed words (case-insensitive), or null when absent.</summary>
    public string? Choice(string field, params string[] allowed)
    {
        var text = String(field, 64);
        if (text is null)
        {
            return null;
        }

        return allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase))
            ?? throw new WebProblem($"'{field}' must be one of {string.Join(", ", allowed)} (got '{Shown(text)}')");
    }

    internal static string Shown(string text)
    {
        var line = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return line.Length <= 40 ? line : line[..40] + "…";
    }
}
