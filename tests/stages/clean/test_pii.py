from budgetai.stages.clean.pii import scrub


def test_scrubs_emails_keys_and_public_ips():
    text = ("mail john.doe@gmail.com, key AKIAIOSFODNN7EXAMPLE, token ghp_" + "a" * 36 +
            ", server 8.8.8.8 and 2001:4860:4860::8888\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"
            "-----END RSA PRIVATE KEY-----\napi_key = \"sk-1234567890abcdef\"")
    out, counts = scrub(text)
    for placeholder in ("<EMAIL>", "<AWS_ACCESS_KEY>", "<GITHUB_TOKEN>", "<IP_ADDRESS>", "<PRIVATE_KEY>", "<SECRET>"):
        assert placeholder in out
    assert "gmail" not in out and "8.8.8.8" not in out and "MIIE" not in out and "sk-1234" not in out
    assert counts == {"EMAIL": 1, "AWS_ACCESS_KEY": 1, "GITHUB_TOKEN": 1, "IP_ADDRESS": 2, "PRIVATE_KEY": 1, "SECRET": 1}


def test_leaves_haskell_code_and_private_addresses_alone():
    code = ("lookupAll :: Ord k => [k] -> Map k v -> [v]\nlast' xs@(x:_) = x\ntoken = nextToken stream\n"
            "f::Int->Int\nconnect \"127.0.0.1\" 8080 >> connect \"192.168.1.10\" 22\nversion 1.2.3.4")
    out, counts = scrub(code)
    assert out == code and not counts


def test_aws_secret_keeps_its_key_name():
    out, _ = scrub("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert out == "aws_secret_access_key = <AWS_SECRET_KEY>"
