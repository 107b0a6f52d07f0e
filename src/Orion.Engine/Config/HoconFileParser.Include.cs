// include "file.conf", include file("...") and include required("...") (HOCON.md "Includes"). Unlike the spec, a
// missing file is always an error naming the include line: a silently skipped config file is a silent wrong setting.
namespace Orion.Engine.Config;

internal sealed partial class HoconFileParser
{
    private HoconObject ParseInclude(string[]? path)
    {
        var keyword = Take();
        SkipWhitespaceAndNewlines();
        var t = Take();
        string closing = "";
        if (t.Kind == HoconTokenKind.Unquoted && t.Text is "required(" or "file(" or "required(file(")
        {
            closing = t.Text == "required(file(" ? "))" : ")";
            SkipWhitespace();
            t = Take();
        }
        else if (t.Kind == HoconTokenKind.Unquoted && (t.Text.StartsWith("url(", StringComparison.Ordinal) || t.Text.StartsWith("classpath(", StringComparison.Ordinal)))
        {
            throw Error(t.Line, $"include {t.Text}...) is not supported; only files can be included, e.g. include \"common.conf\"");
        }
        if (t.Kind != HoconTokenKind.Quoted)
            throw Error(keyword.Line, $"'include' must be followed by a quoted file name, e.g. include \"common.conf\", found {t}" +
                " (quote \"include\" to use it as a key)");
        var name = t.Text;
        if (closing.Length > 0)
        {
            SkipWhitespace();
            var close = Take();
            if (close.Kind != HoconTokenKind.Unquoted || close.Text != closing)
                throw Error(close.Line, $"expected '{closing}' after the include file name \"{name}\", found {close}");
        }

        if (!Path.IsPathRooted(name) && _baseDirectory is null)
            throw Error(keyword.Line, $"cannot include \"{name}\": this text was not read from a file, so relative includes have no folder " +
                "(pass baseDirectory, or use an absolute path)");
        var fullPath = Path.GetFullPath(Path.IsPathRooted(name) ? name : Path.Combine(_baseDirectory!, name));
        if (!File.Exists(fullPath))
            throw Error(keyword.Line, $"included file \"{name}\" not found (looked for {fullPath}); include paths are relative to the including file's folder");
        if (_includeStack.Contains(fullPath, StringComparer.Ordinal))
            throw Error(keyword.Line, $"include cycle: {string.Join(" -> ", _includeStack.Append(fullPath).Select(Path.GetFileName))}; a file cannot include itself");

        var display = Path.IsPathRooted(name) ? name : Path.Combine(Path.GetDirectoryName(_file) ?? "", name);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (IOException e)
        {
            throw new ConfigException($"{At(keyword.Line)}: cannot read included file {fullPath}: {e.Message}", At(keyword.Line), e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException($"{At(keyword.Line)}: cannot read included file {fullPath}: {e.Message}", At(keyword.Line), e);
        }
        string[] prefix = [.. _includePrefix, .. path ?? []];
        return ParseText(text, display, Path.GetDirectoryName(fullPath), _environment, prefix, [.. _includeStack, fullPath]);
    }
}
