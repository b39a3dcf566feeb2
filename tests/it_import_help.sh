# `import --help` names every format the README says import reads (issue 14 item 10).
. "$BS_SOURCE_DIR/tests/lib.sh"
"$BTCSTREAM" import --help > help.txt
for name in "tick JSON lines" "Binance klines CSV" "Kraken CSV" "Binance kline dumps" \
    "daily candles" "Yahoo Finance" "CryptoDataDownload" "CoinGecko's export" "midnight UTC" \
    "market_chart" "/dev/stdin"; do
    grep -qF "$name" "$BS_SOURCE_DIR/README.md" || fail "README no longer names '$name': update this list"
    expect_contains help.txt "$name" "import --help names $name"
done
pass "import --help lists the formats the README names"
