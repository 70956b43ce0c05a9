/**
 * The project's own small labelled Banking77 set, written for this repository (not taken from the
 * dataset): for every intent two training queries and one test query, in that order. Used by tests,
 * the offline demo and the `keyword` policy.
 * @module
 */
import type { Banking77Label } from './labels.ts';

export const BUILTIN_QUERIES: Readonly<Record<Banking77Label, readonly [string, string, string]>> = {
  activate_my_card: [
    'My new card came in the post, how do I switch it on?',
    'What steps do I follow to activate the card I just received?',
    'I need to activate my card before I can use it, where do I do that?',
  ],
  age_limit: [
    'Is there a minimum age to open an account with you?',
    'Can my 15 year old son get his own account?',
    'How old do I have to be to sign up?',
  ],
  apple_pay_or_google_pay: [
    'Can I add my card to Apple Pay on my iPhone?',
    'Does your card work with Google Pay?',
    'How do I set up Apple Pay or Google Pay with this card?',
  ],
  atm_support: [
    'Which ATMs can I use to take out cash with my card?',
    'Will my card work in any cash machine?',
    'Where can I find an ATM that accepts this card?',
  ],
  automatic_top_up: [
    'How do I turn on auto top-up so my balance never runs low?',
    'Can the app top up my account automatically when it gets low?',
    'I want to set up automatic top ups, is that possible?',
  ],
  balance_not_updated_after_bank_transfer: [
    'I sent money from my bank account but my balance here still shows the old amount.',
    'The bank transfer went through yesterday yet my balance has not changed.',
    'Why is my balance not updated after I made a bank transfer in?',
  ],
  balance_not_updated_after_cheque_or_cash_deposit: [
    'I deposited a cheque and my balance has not gone up.',
    'The cash I paid in is not showing in my balance yet.',
    'My balance did not update after I deposited cash, what is wrong?',
  ],
  beneficiary_not_allowed: [
    'The app will not let me add a new beneficiary, why?',
    'I get an error saying this beneficiary is not allowed.',
    'Why can I not add this person as a payee?',
  ],
  cancel_transfer: [
    'I sent money to the wrong person, can I cancel the transfer?',
    'How do I stop a transfer I just made?',
    'Please cancel the payment I sent this morning.',
  ],
  card_about_to_expire: [
    'My card expires next month, will you send a new one?',
    'What happens when my card is about to expire?',
    'The expiry date on my card is coming up soon, what should I do?',
  ],
  card_acceptance: [
    'Will shops abroad accept my card?',
    'Is this card accepted everywhere Mastercard is?',
    'Can I use my card at any merchant?',
  ],
  card_arrival: [
    'My card still has not arrived, it has been two weeks.',
    'I ordered a card ages ago and it never came in the mail.',
    'Where is my card? It has not arrived yet.',
  ],
  card_delivery_estimate: [
    'How long does it take for a new card to be delivered?',
    'When can I expect my card to arrive after ordering?',
    'What is the usual delivery time for a card?',
  ],
  card_linking: [
    'How do I link my existing card to the app?',
    'I found my old card, can I link it to my account again?',
    'Where do I go to connect a card to my account?',
  ],
  card_not_working: [
    'My card stopped working, it gets rejected everywhere.',
    'The card does not work at all, what can I do?',
    'Why is my card not working any more?',
  ],
  card_payment_fee_charged: [
    'I was charged a fee for paying with my card, why?',
    'There is an extra fee on a card payment I made.',
    'Why did I get a fee for a normal card purchase?',
  ],
  card_payment_not_recognised: [
    'There is a card payment on my account that I did not make.',
    'I do not recognise a purchase on my card statement.',
    'Someone paid for something with my card and it was not me.',
  ],
  card_payment_wrong_exchange_rate: [
    'The exchange rate on my card payment abroad looks wrong.',
    'I paid in euros and you used a bad exchange rate.',
    'Why was my foreign card purchase converted at the wrong rate?',
  ],
  card_swallowed: [
    'The ATM ate my card and did not give it back.',
    'A cash machine kept my card, what now?',
    'My card got stuck inside the ATM.',
  ],
  cash_withdrawal_charge: [
    'Why was I charged for taking out cash?',
    'Is there a fee for withdrawing money at an ATM?',
    'I got charged a fee for my cash withdrawal.',
  ],
  cash_withdrawal_not_recognised: [
    'There is a cash withdrawal on my account I never made.',
    'I did not take out this cash, who did?',
    'An ATM withdrawal shows up that I do not recognise.',
  ],
  change_pin: [
    'How do I change my PIN?',
    'I want a new PIN number for my card.',
    'Where can I reset my card PIN to something else?',
  ],
  compromised_card: [
    'I think my card details were stolen online.',
    'My card may have been compromised, please help.',
    'I believe someone copied my card information.',
  ],
  contactless_not_working: [
    'Tapping my card to pay does not work.',
    'Contactless payments keep failing on my card.',
    'Why is contactless not working on my card?',
  ],
  country_support: [
    'Which countries do you support?',
    'Can I open an account if I live outside the UK?',
    'Is your service available in my country?',
  ],
  declined_card_payment: [
    'My card payment was declined at the shop.',
    'Why does my card keep getting declined when I pay?',
    'The store declined my card, what is going on?',
  ],
  declined_cash_withdrawal: [
    'The ATM declined my withdrawal.',
    'I tried to take out cash but it was refused.',
    'Why was my cash withdrawal declined?',
  ],
  declined_transfer: [
    'My transfer was declined, why?',
    'The bank transfer I tried to send got rejected.',
    'Why did my outgoing transfer get declined?',
  ],
  direct_debit_payment_not_recognised: [
    'There is a direct debit I never set up.',
    'I do not recognise this direct debit payment.',
    'A direct debit came out of my account that I did not agree to.',
  ],
  disposable_card_limits: [
    'How many disposable cards can I make?',
    'What are the limits on disposable virtual cards?',
    'Is there a cap on using disposable cards?',
  ],
  edit_personal_details: [
    'I moved house, how do I change my address?',
    'How can I update my name on the account?',
    'I need to edit my personal details.',
  ],
  exchange_charge: [
    'Do you charge a fee for exchanging currency?',
    'What does it cost to exchange money in the app?',
    'Why was I charged for a currency exchange?',
  ],
  exchange_rate: [
    'What exchange rate do you use?',
    'Where does your exchange rate come from?',
    'How are your currency exchange rates calculated?',
  ],
  exchange_via_app: [
    'Can I exchange currencies in the app?',
    'How do I swap pounds for dollars using the app?',
    'Is it possible to convert money between currencies in the app?',
  ],
  extra_charge_on_statement: [
    'There is an extra charge on my statement I do not understand.',
    'Why is there an additional pound on my statement?',
    'I see an unexpected extra charge on my statement.',
  ],
  failed_transfer: [
    'My transfer failed, what happened?',
    'The transfer did not go through and shows as failed.',
    'Why did my bank transfer fail?',
  ],
  fiat_currency_support: [
    'Which fiat currencies can I hold?',
    'Do you support holding Swiss francs?',
    'What currencies does my account support?',
  ],
  get_disposable_virtual_card: [
    'How do I get a disposable virtual card?',
    'Can I create a single use virtual card?',
    'I want a disposable card for an online purchase.',
  ],
  get_physical_card: [
    'How do I get a physical card for my account?',
    'I only have a virtual card, can I get a real plastic one?',
    'Where do I request a physical card?',
  ],
  getting_spare_card: [
    'Can I get a second card for my account?',
    'I would like a spare card, is that possible?',
    'How do I order an extra card?',
  ],
  getting_virtual_card: [
    'How do I get a virtual card?',
    'Can I create a virtual card in the app?',
    'I want a virtual card for online shopping.',
  ],
  lost_or_stolen_card: [
    'I lost my card, what should I do?',
    'My card was stolen last night.',
    'I cannot find my card anywhere, please block it.',
  ],
  lost_or_stolen_phone: [
    'My phone was stolen and the app is on it.',
    'I lost my phone, is my account safe?',
    'What do I do if my phone with the app gets lost?',
  ],
  order_physical_card: [
    'I want to order a physical card.',
    'How do I order a new card to be mailed to me?',
    'Can I order a plastic card to my home address?',
  ],
  passcode_forgotten: [
    'I forgot my passcode for the app.',
    'How do I reset my app passcode?',
    'I cannot remember my passcode to log in.',
  ],
  pending_card_payment: [
    'My card payment is still pending.',
    'Why is a purchase I made showing as pending?',
    'How long will my card payment stay pending?',
  ],
  pending_cash_withdrawal: [
    'My cash withdrawal is still showing as pending.',
    'Why is the ATM withdrawal pending?',
    'The cash I took out is pending, is that normal?',
  ],
  pending_top_up: [
    'My top up is still pending.',
    'Why is my top-up taking so long to go through?',
    'The top up shows pending, when will it finish?',
  ],
  pending_transfer: [
    'My transfer has been pending for days.',
    'Why is my transfer still pending?',
    'The money I sent shows as pending, what does that mean?',
  ],
  pin_blocked: [
    'I entered the wrong PIN too many times and now it is blocked.',
    'My PIN is blocked, how do I unblock it?',
    'How do I unlock my card PIN after too many attempts?',
  ],
  receiving_money: [
    'How can I receive money from someone?',
    'Can people send money to my account?',
    'What do I share so a friend can pay me?',
  ],
  Refund_not_showing_up: [
    'The shop says they refunded me but I do not see it.',
    'My refund has not shown up in my account.',
    'Where is my refund? The merchant sent it a week ago.',
  ],
  request_refund: [
    'I want a refund for an item I bought.',
    'How do I ask for my money back for a purchase?',
    'Can I request a refund for this order?',
  ],
  'reverted_card_payment?': [
    'A card payment I made was reverted, why?',
    'My payment was returned to my account, what happened?',
    'Why did my card payment get reversed?',
  ],
  supported_cards_and_currencies: [
    'Which cards can I use to add money?',
    'What cards and currencies do you support for top ups?',
    'Do you accept American Express cards for topping up?',
  ],
  terminate_account: [
    'I want to close my account.',
    'How do I delete my account permanently?',
    'Please terminate my account.',
  ],
  top_up_by_bank_transfer_charge: [
    'Is there a fee for topping up by bank transfer?',
    'Do I pay anything when I top up with a bank transfer?',
    'Why was I charged for a top up by bank transfer?',
  ],
  top_up_by_card_charge: [
    'Is there a charge for topping up with my card?',
    'Why did I pay a fee to top up by card?',
    'How much does it cost to top up using a debit card?',
  ],
  top_up_by_cash_or_cheque: [
    'Can I top up with cash?',
    'Is it possible to add money by cheque?',
    'How do I top up my account with cash or a cheque?',
  ],
  top_up_failed: ['My top up failed.', 'I tried to top up but it did not work.', 'Why did my top-up fail?'],
  top_up_limits: [
    'Is there a limit on how much I can top up?',
    'What is the maximum top up amount?',
    'How much can I top up in one go?',
  ],
  top_up_reverted: [
    'My top up was reverted.',
    'The money I topped up was taken back, why?',
    'Why did my top-up get reversed?',
  ],
  topping_up_by_card: [
    'How do I top up with my card?',
    'Can I add money using a debit card?',
    'Where do I top up with a card in the app?',
  ],
  transaction_charged_twice: [
    'I was charged twice for the same thing.',
    'A payment appears two times on my account.',
    'Why was my transaction charged twice?',
  ],
  transfer_fee_charged: [
    'Why was I charged a fee for my transfer?',
    'There is a fee on the transfer I sent.',
    'Do you charge for sending a transfer?',
  ],
  transfer_into_account: [
    'How do I transfer money into my account?',
    'What details do I need to send money to my own account here?',
    'Can I move money from my other bank into this account?',
  ],
  transfer_not_received_by_recipient: [
    'My friend has not received the money I sent.',
    'The recipient says the transfer never arrived.',
    'I sent a transfer but the other person did not get it.',
  ],
  transfer_timing: [
    'How long do transfers take?',
    'When will my transfer arrive?',
    'How many days does a bank transfer usually take?',
  ],
  unable_to_verify_identity: [
    'I cannot verify my identity, the app keeps failing.',
    'The identity check will not accept my documents.',
    'I am unable to get through identity verification.',
  ],
  verify_my_identity: [
    'How do I verify my identity?',
    'What do I need to prove who I am?',
    'Where do I do the identity verification?',
  ],
  verify_source_of_funds: [
    'Why do you need to know where my money comes from?',
    'How do I verify the source of my funds?',
    'What documents prove my source of funds?',
  ],
  verify_top_up: [
    'How do I verify my top up?',
    'The app asks me to verify a top-up card, how?',
    'Why do I have to verify my top up?',
  ],
  virtual_card_not_working: [
    'My virtual card does not work online.',
    'The virtual card keeps getting rejected.',
    'Why is my virtual card not working?',
  ],
  visa_or_mastercard: [
    'Is your card Visa or Mastercard?',
    'Which network is the card on, Visa or Mastercard?',
    'Do you issue Visa cards or Mastercards?',
  ],
  why_verify_identity: [
    'Why do I have to verify my identity?',
    'What is the reason for the identity check?',
    'Why are you asking me to prove who I am?',
  ],
  wrong_amount_of_cash_received: [
    'The ATM gave me less cash than I asked for.',
    'I got the wrong amount of money from the cash machine.',
    'The machine did not give me all my cash.',
  ],
  wrong_exchange_rate_for_cash_withdrawal: [
    'The exchange rate on my cash withdrawal abroad was wrong.',
    'I took out cash overseas and the rate was bad.',
    'Why was my foreign ATM withdrawal converted at the wrong rate?',
  ],
};
