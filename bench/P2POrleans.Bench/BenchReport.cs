using System.Globalization;
using System.Text.Json;

namespace P2POrleans.Bench;

/// <summary>Collects named measurements; prints them as they come and writes JSON at the end.</summary>
public sealed class BenchReport
{
    private readonly List<Dictionary<string, object>> _rows = [];

    public void Add(string benchmark, string measurement, double value, string unit, IReadOnlyDictionary<string, object>? parameters = null)
    {
        var row = new Dictionary<string, object>
        {
            ["benchmark"] = benchmark,
            ["measurement"] = measurement,
            ["value"] = Math.Round(value, 4),
            ["unit"] = unit,
        };
        if (parameters is not null)
        {
            foreach (var (k, v) in parameters)
            {
                row[k] = v;
            }
        }

        _rows.Add(row);
        var extra = parameters is null ? "" : " (" + string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}")) + ")";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{benchmark,-22} {measurement,-40} {value,14:N3} {unit}{extra}"));
    }

    /// <summary>Adds the rows of another run's JSON (<see cref="ToJson"/>), already printed by that run.</summary>
    public void AddRows(string json)
    {
        foreach (var row in JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(json) ?? [])
        {
            _rows.Add(row.ToDictionary(kv => kv.Key, kv => (object)kv.Value));
        }
    }

    public string ToJson() => JsonSerializer.Serialize(_rows, new JsonSerializerOptions { WriteIndented = true });
}
