namespace P2POrleans.Common;

/// <summary>Overlay names are short and safe inside grain keys and file names.</summary>
public static class OverlayNames
{
    public const int MaxLength = 64;

    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "an overlay name is required";
        }

        if (name.Length > MaxLength)
        {
            return $"overlay name '{name[..16]}…' is longer than {MaxLength} characters";
        }

        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return $"overlay name '{name}' may only hold letters, digits, '-', '_' and '.'";
        }

        return null;
    }
}
