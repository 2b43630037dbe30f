using MetaQap.Components.Sources;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Sources;

public sealed class FileRootsTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly TempFolder _outside = new();
    private readonly FileRoots _roots;

    public FileRootsTests()
    {
        Directory.CreateDirectory(_root.Combine("sub"));
        File.WriteAllText(_root.Combine("sub", "inside.png"), "x");
        File.WriteAllText(_outside.Combine("secret.png"), "x");
        _roots = new FileRoots([_root.Path]);
    }

    [Fact]
    public void A_relative_path_is_resolved_under_the_first_root()
    {
        Assert.Equal(_root.Combine("sub", "inside.png"), _roots.Resolve("sub/inside.png"));
    }

    [Fact]
    public void An_absolute_path_under_a_root_is_accepted()
    {
        Assert.Equal(_root.Combine("sub", "inside.png"), _roots.Resolve(_root.Combine("sub", "inside.png")));
    }

    [Theory]
    [InlineData("../x.png")]
    [InlineData("sub/../sub/inside.png")]
    [InlineData("/etc/passwd")]
    public void Dot_dot_and_absolute_paths_elsewhere_are_access_denied(string path)
    {
        Assert.Equal(FailureCode.AccessDenied, Assert.Throws<ImageFetchException>(() => _roots.Resolve(path)).Code);
    }

    [Fact]
    public void A_sibling_folder_sharing_the_roots_name_prefix_is_outside()
    {
        string sibling = _root.Path + "-evil";
        Directory.CreateDirectory(sibling);
        try
        {
            File.WriteAllText(Path.Combine(sibling, "a.png"), "x");

            Assert.Equal(FailureCode.AccessDenied, Assert.Throws<ImageFetchException>(() => _roots.Resolve(Path.Combine(sibling, "a.png"))).Code);
        }
        finally
        {
            Directory.Delete(sibling, recursive: true);
        }
    }

    [Fact]
    public void A_file_symlink_leading_out_of_the_root_is_access_denied()
    {
        File.CreateSymbolicLink(_root.Combine("link.png"), _outside.Combine("secret.png"));

        var error = Assert.Throws<ImageFetchException>(() => _roots.Resolve("link.png"));

        Assert.Equal(FailureCode.AccessDenied, error.Code);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_symlink_leading_out_of_the_root_is_access_denied()
    {
        Directory.CreateSymbolicLink(_root.Combine("escape"), _outside.Path);

        Assert.Equal(FailureCode.AccessDenied, Assert.Throws<ImageFetchException>(() => _roots.Resolve("escape/secret.png")).Code);
    }

    [Fact]
    public void A_relative_symlink_that_stays_inside_the_root_is_followed()
    {
        File.CreateSymbolicLink(_root.Combine("alias.png"), "sub/inside.png");

        Assert.Equal(_root.Combine("sub", "inside.png"), _roots.Resolve("alias.png"));
    }

    [Fact]
    public void A_missing_file_is_not_found_and_a_folder_is_not_a_file()
    {
        Assert.Equal(FailureCode.NotFound, Assert.Throws<ImageFetchException>(() => _roots.Resolve("sub/none.png")).Code);
        Assert.Equal(FailureCode.NotFound, Assert.Throws<ImageFetchException>(() => _roots.Resolve("sub")).Code);
    }

    [Fact]
    public void Without_roots_every_file_is_access_denied()
    {
        Assert.Equal(FailureCode.AccessDenied, Assert.Throws<ImageFetchException>(() => new FileRoots([]).Resolve(_root.Combine("sub", "inside.png"))).Code);
    }

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }
}
