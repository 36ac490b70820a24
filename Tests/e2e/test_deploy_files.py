"""The deployment files of product.md §10 are valid: compose config parses offline, the Docker
Space metadata has what HF needs, and the Dockerfile ships the folders the binary looks for."""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_compose_file_is_valid():
    result = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_space_metadata_declares_docker_and_oauth():
    front_matter = (ROOT / "deploy/space/README.md").read_text().split("---")[1]
    for line in ("sdk: docker", "app_port: 7860", "hf_oauth: true"):
        assert line in front_matter, line


def test_dockerfile_ships_sql_and_web_where_the_binary_looks():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY sql /usr/share/spaceaudit/sql" in dockerfile
    assert "COPY web /usr/share/spaceaudit/web" in dockerfile
    assert "EXPOSE 7860" in dockerfile
